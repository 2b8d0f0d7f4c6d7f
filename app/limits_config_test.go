package app

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestLimitSettings(t *testing.T) {
	c, err := parseConfig("doleances", nil, env(nil), &bytes.Buffer{})
	check(t, err)
	if c.PostRate != 30 || c.SearchRate != 60 || c.TrustedProxies != "" {
		t.Errorf("defaults: post %d, search %d, proxies %q", c.PostRate, c.SearchRate, c.TrustedProxies)
	}
	e := env(map[string]string{"DOLEANCES_SEARCH_RATE": "5", "DOLEANCES_POST_RATE": "7",
		"DOLEANCES_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16,::1"})
	c, err = parseConfig("doleances", []string{"-post-rate", "9"}, e, &bytes.Buffer{})
	check(t, err)
	if c.SearchRate != 5 || c.PostRate != 9 {
		t.Errorf("search %d, post %d", c.SearchRate, c.PostRate)
	}
	got, err := parseProxies(c.TrustedProxies)
	check(t, err)
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32"), netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("::1/128")}
	if !slices.Equal(got, want) {
		t.Errorf("proxies %v, want %v", got, want)
	}
	for name, tt := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"proxy":       {args: []string{"-trusted-proxies", "10.0.0.1, proxy.internal"}},
		"proxy range": {env: map[string]string{"DOLEANCES_TRUSTED_PROXIES": "10.0.0.0/33"}},
		"search rate": {env: map[string]string{"DOLEANCES_SEARCH_RATE": "-1"}},
		"post rate":   {env: map[string]string{"DOLEANCES_POST_RATE": "lots"}},
	} {
		_, err := parseConfig("doleances", tt.args, env(tt.env), &bytes.Buffer{})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	var out bytes.Buffer
	check(t, Run(t.Context(), []string{"doleances", "-h"}, env(nil), &out))
	for _, name := range []string{"search-rate", "trusted-proxies"} {
		if !strings.Contains(out.String(), "-"+name) || !strings.Contains(out.String(), envName(name)) {
			t.Errorf("-h does not list %s / %s", name, envName(name))
		}
	}
}
