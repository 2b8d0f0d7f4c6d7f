package app

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The seeded sites in the user's cache folder are shared by every run (and
// every person on the machine): taking a copy of one that has every
// migration step reads it and writes nothing, neither the file nor its
// folder (no lock, no -wal or -shm made and removed).
func TestBenchDatabaseLeavesTheCacheAlone(t *testing.T) {
	onPostgres(t, "the cached seeded files are SQLite")
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	size := benchSize{stories: 3, comments: 6, users: 3}
	first := benchDatabase(t, size)
	dirs, err := filepath.Glob(filepath.Join(cache, "doleances-bench", "*"))
	check(t, err)
	if len(dirs) != 1 {
		t.Fatalf("cache holds %v, want one seeded site", dirs)
	}
	cached := filepath.Join(dirs[0], "doleances.db")
	type state struct {
		file, folder time.Time
		names        []string
		data         []byte
	}
	look := func() state {
		var s state
		for p, at := range map[string]*time.Time{cached: &s.file, dirs[0]: &s.folder} {
			fi, err := os.Stat(p)
			check(t, err)
			*at = fi.ModTime()
		}
		entries, err := os.ReadDir(dirs[0])
		check(t, err)
		for _, e := range entries {
			s.names = append(s.names, e.Name())
		}
		s.data, err = os.ReadFile(cached)
		check(t, err)
		return s
	}
	before := look()
	time.Sleep(20 * time.Millisecond) // a write now would move the times
	second := benchDatabase(t, size)
	after := look()
	if !after.file.Equal(before.file) || !after.folder.Equal(before.folder) || !bytes.Equal(after.data, before.data) ||
		len(after.names) != 1 || after.names[0] != "doleances.db" {
		t.Errorf("the cached file or its folder changed: file %v → %v, folder %v → %v, same bytes %v, folder holds %v",
			before.file, after.file, before.folder, after.folder, bytes.Equal(after.data, before.data), after.names)
	}
	if first == second || first == cached || second == cached {
		t.Errorf("copies %s and %s of %s: want two copies elsewhere", first, second, cached)
	}
}
