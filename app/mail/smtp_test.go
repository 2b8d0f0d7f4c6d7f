package mail

import (
	"strings"
	"testing"
)

// TestSMTPURL: the accepted forms of -smtp-url, and a clear refusal of the
// others; mail in clear only to this machine.
func TestSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url, err string
	}{
		{"smtp://user:pass@mail.example.org:587", ""},
		{"smtp://mail.example.org", ""},
		{"smtps://user:pass@mail.example.org:465", ""},
		{"smtp://127.0.0.1:2525?tls=none", ""},
		{"smtp://localhost:2525?tls=none", ""},
		{"smtp://[::1]:2525?tls=none", ""},
		{"smtp://mail.example.org:25?tls=none", "only for a server on 127.0.0.1"},
		{"smtp://mail.example.org?tls=maybe", "tls may only be none"},
		{"http://mail.example.org", `scheme "http"`},
		{"smtp://:587", "no host"},
		{"smtp://mail.example.org:port", "invalid port"},
	} {
		_, err := NewSMTP(tc.url, "Site", "noreply@example.org")
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.url, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one saying %q", tc.url, err, tc.err)
		}
	}
}
