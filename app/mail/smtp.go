package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"doleances/models"
)

// Transport hands one mail to the world.
type Transport interface {
	Send(ctx context.Context, m models.OutboxMail) error
}

// ErrPermanent is wrapped by a Transport's error when trying again cannot
// help: the server refused the message or its recipient for good (5xx).
var ErrPermanent = errors.New("refused for good")

// SMTP sends through an SMTP server with go-mail.
type SMTP struct {
	client   *gomail.Client
	fromName string
	fromAddr string
}

// NewSMTP reads an SMTP URL: smtp://user:pass@host:587 (STARTTLS required),
// smtps://user:pass@host:465 (TLS from the start). A server on the loopback
// interface (127.0.0.1, ::1, localhost) may be used without TLS by adding
// ?tls=none, for tests and local relays; nothing else may.
func NewSMTP(rawURL, fromName, fromAddr string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp-url: %w", err)
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("smtp-url: no host (want smtp://user:pass@host:587 or smtps://...:465)")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("smtp-url: scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("smtp-url: port %q: %w", p, err)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	switch u.Query().Get("tls") {
	case "":
	case "none":
		if !loopback(host) {
			return nil, errors.New("smtp-url: ?tls=none is allowed only for a server on 127.0.0.1, ::1 or localhost")
		}
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS), gomail.WithPort(port))
	default:
		return nil, errors.New("smtp-url: tls may only be none (for a server on this machine)")
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp-url: %w", err)
	}
	return &SMTP{client: c, fromName: OneLine(fromName, 100), fromAddr: fromAddr}, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers m; a 5xx answer wraps ErrPermanent.
func (s *SMTP) Send(ctx context.Context, m models.OutboxMail) error {
	msg, err := Message(m, s.fromName, s.fromAddr)
	if err != nil {
		return err
	}
	err = s.client.DialAndSendWithContext(ctx, msg)
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode()/100 == 5 {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return err
}

// Message builds the MIME message of m: plain text with an HTML
// alternative, and the one-click unsubscribe headers of RFC 8058.
func Message(m models.OutboxMail, fromName, fromAddr string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(OneLine(fromName, 100), fromAddr); err != nil {
		return nil, fmt.Errorf("%w: from %q: %w", ErrPermanent, fromAddr, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("%w: to %q: %w", ErrPermanent, m.To, err)
	}
	msg.Subject(OneLine(m.Subject, 200))
	msg.SetMessageID()
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	if m.Unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	return msg, nil
}
