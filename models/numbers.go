package models

import (
	"strconv"
	"strings"
)

// Thousands writes n with a comma between groups of three digits
// ("10,050"), as the help texts write limits, so that a message and the help
// beside it read the same number the same way.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// tooLong is the message of a field past its limit: subject is "The title
// is", n its length and limit the most allowed, in characters.
func tooLong(subject string, n, limit int) string {
	return subject + " " + Thousands(n) + " characters long; the limit is " + Thousands(limit) + "."
}
