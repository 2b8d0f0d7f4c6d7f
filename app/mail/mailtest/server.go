// Package mailtest runs a real SMTP server (emersion/go-smtp) on 127.0.0.1
// for tests, and keeps what it received.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one mail the server accepted.
type Message struct {
	From string
	To   []string
	Raw  string
	Head mail.Header
	Body string
}

// Server is an SMTP server listening on 127.0.0.1.
type Server struct {
	Addr string // host:port
	mu   sync.Mutex
	msgs []Message
	// refuse, when set, is asked about each recipient: a non-nil error
	// (an *smtp.SMTPError with its code) refuses it.
	refuse func(rcpt string) error
	notify chan struct{}
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), notify: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the -smtp-url of the server.
func (s *Server) URL() string { return "smtp://" + s.Addr + "?tls=none" }

// Refuse sets the answer to each recipient (nil: accept all).
func (s *Server) Refuse(f func(rcpt string) error) {
	s.mu.Lock()
	s.refuse = f
	s.mu.Unlock()
}

// Temporary and Permanent are the errors of a busy server and of an
// unknown mailbox.
var (
	Temporary = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	Permanent = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
)

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns the first message to rcpt whose subject contains subject,
// waiting up to 10 seconds; it fails the test otherwise.
func (s *Server) Wait(t testing.TB, rcpt, subject string) Message {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for _, m := range s.Messages() {
			if m.Head.Get("Subject") != "" && strings.Contains(decode(m.Head.Get("Subject")), subject) && contains(m.To, rcpt) {
				return m
			}
		}
		select {
		case <-s.notify:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			var got []string
			for _, m := range s.Messages() {
				got = append(got, strings.Join(m.To, ",")+": "+decode(m.Head.Get("Subject")))
			}
			t.Fatalf("no mail to %s about %q in 10 s; received: %q", rcpt, subject, got)
		}
	}
}

// Subject is the decoded subject of m.
func (m Message) Subject() string { return decode(m.Head.Get("Subject")) }

func decode(s string) string {
	d, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

type session struct {
	srv  *Server
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	refuse := s.srv.refuse
	s.srv.mu.Unlock()
	if refuse != nil {
		if err := refuse(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: s.from, To: s.to, Raw: string(raw)}
	if pm, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Head = pm.Header
		b, _ := io.ReadAll(pm.Body)
		m.Body = string(b)
	}
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, m)
	s.srv.mu.Unlock()
	select {
	case s.srv.notify <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// Text is the decoded text/plain part of m (its HTML part with html).
func (m Message) Text() string { return m.part("text/plain") }

// HTML is the decoded text/html part of m.
func (m Message) HTML() string { return m.part("text/html") }

func (m Message) part(want string) string {
	mt, params, err := mime.ParseMediaType(m.Head.Get("Content-Type"))
	if err != nil {
		return ""
	}
	if !strings.HasPrefix(mt, "multipart/") {
		if mt == want {
			return decodeBody(m.Head.Get("Content-Transfer-Encoding"), strings.NewReader(m.Body))
		}
		return ""
	}
	mr := multipart.NewReader(strings.NewReader(m.Body), params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			return ""
		}
		if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct == want {
			return decodeBody(p.Header.Get("Content-Transfer-Encoding"), p)
		}
	}
}

func decodeBody(enc string, r io.Reader) string {
	switch strings.ToLower(enc) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, _ := io.ReadAll(r)
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// Next waits up to 10 seconds for the message after the first n and returns it.
func (s *Server) Next(t testing.TB, n int) Message {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ms := s.Messages(); len(ms) > n {
			return ms[n]
		}
	}
	t.Fatalf("no message after the first %d in 10 s", n)
	return Message{}
}
