package i18n

import (
	"strconv"
	"time"
)

// T translates the message key and formats args into it (printf verbs;
// %d counts pick the plural form and are grouped: "10 000").
func (l *Locale) T(key string, args ...any) string {
	if key == "" {
		return ""
	}
	s, ok := l.keys[key]
	if !ok {
		if l.miss != nil && l.Code != "en" {
			l.miss(l.Code, key)
		}
		if len(args) == 0 {
			return l.mark(key)
		}
	}
	if len(args) == 0 && s != "" {
		return l.mark(s)
	}
	if len(args) == 0 && ok && s == "" {
		// A plural message asked without its count.
		return l.mark(l.p.Sprintf(key, 0))
	}
	return l.mark(l.p.Sprintf(key, args...))
}

func (l *Locale) mark(s string) string {
	if l.wrap != nil {
		return l.wrap(s)
	}
	return s
}

// Number writes n with the language's grouping: "10 000", "10,000".
func (l *Locale) Number(n int) string { return l.p.Sprint(n) }

// Decimal writes f with one decimal: "3,5", "3.5".
func (l *Locale) Decimal(f float64) string { return l.p.Sprintf("%.1f", f) }

// Zone is the site's time zone.
func (l *Locale) Zone() *time.Location { return l.zone }

// In gives t in the site's time zone.
func (l *Locale) In(t time.Time) time.Time { return t.In(l.zone) }

// Date writes the day of t in the site's time zone: "19 janvier 2009",
// "January 19, 2009".
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(l.zone)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = l.T("1 (first day of a month)")
	}
	return l.T("%[1]s %[2]s %[3]s (day month year)", day, l.T(t.Month().String()), strconv.Itoa(t.Year()))
}

// Month writes a month of a year: "janvier 2009", "January 2009".
func (l *Locale) Month(year int, m time.Month) string {
	return l.T("%[1]s %[2]s (month year)", l.T(m.String()), strconv.Itoa(year))
}

// Clock writes the time of day of t in the site's time zone: "15:04".
func (l *Locale) Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.zone).Format("15:04")
}

// ClockZone writes the time of day of t in the site's time zone, naming
// the zone: "15:04 CET".
func (l *Locale) ClockZone(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.zone).Format("15:04 MST")
}

// DateTime writes the day and time of t with the time zone, for times a
// visitor may read from another zone: "19 janvier 2009 à 15:04 CET".
func (l *Locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	z := t.In(l.zone)
	name, _ := z.Zone()
	return l.T("%[1]s at %[2]s %[3]s", l.Date(t), z.Format("15:04"), name)
}
