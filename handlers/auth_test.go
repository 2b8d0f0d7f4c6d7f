package handlers

import "testing"

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/me": "/me", "/stories/x?y=1#c": "/stories/x?y=1#c", "": "/",
		"https://evil.example": "/", "//evil.example": "/", `/\evil.example`: "/", "evil.example": "/",
		"/\r\nSet-Cookie: x": "/", "/a\x00b": "/", "javascript:alert(1)": "/", "/\t/evil.example": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
