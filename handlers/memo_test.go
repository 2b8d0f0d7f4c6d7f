package handlers

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestMemoKeepsValuesUntilTheNextWrite(t *testing.T) {
	var gen atomic.Uint64
	m := newMemo[string, int](gen.Load, 2)
	loads := 0
	load := func(v int, err error) func() (int, error) {
		return func() (int, error) { loads++; return v, err }
	}
	get := func(k string, v int) int {
		got, err := m.get(k, load(v, nil))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if get("a", 1) != 1 || get("a", 2) != 1 || loads != 1 {
		t.Fatalf("a value was not kept: %d loads", loads)
	}
	gen.Add(1) // a write
	if get("a", 3) != 3 {
		t.Error("a value outlived a write")
	}
	if _, err := m.get("missing", load(0, errors.New("not found"))); err == nil {
		t.Fatal("the error was lost")
	}
	if _, ok := m.m["missing"]; ok {
		t.Error("an error was kept")
	}
	// A value made from data read before a write is not kept after it.
	old := gen.Load()
	gen.Add(1)
	get("b", 4)
	if v, _ := m.getAt(old, "b", load(5, nil)); v != 5 {
		t.Errorf("getAt an old generation gave %d, want its own load", v)
	}
	if get("b", 6) != 4 {
		t.Error("a value of an old generation replaced a current one")
	}
	get("c", 7)
	get("d", 8) // over the bound of 2: the memo starts again
	if len(m.m) > 2 || get("d", 9) != 8 {
		t.Errorf("%d values kept, bound 2, or the newest lost", len(m.m))
	}
}
