package app

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// errInUse is a database another Doléances process (a server, a restore) holds.
var errInUse = errors.New("in use by another Doléances process")

// dataLock is held, for as long as a process uses a database, on the file
// beside it named like it with ".lock" added. The operating system drops it
// when the process ends, however it ends, so a killed server leaves no
// stale lock.
type dataLock struct{ f *os.File }

// lockDatabase takes the lock of the database at dbPath without waiting, and
// writes this process's id in it; it fails with errInUse, naming the
// holder, when another process has it.
func lockDatabase(dbPath string) (*dataLock, error) {
	name := dbPath + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if err := tryLock(f); err != nil {
		b := make([]byte, 20)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if pid := strings.TrimSpace(string(b[:n])); pid != "" {
			return nil, fmt.Errorf("%s is %w (process %s)", dbPath, errInUse, pid)
		}
		return nil, fmt.Errorf("%s is %w", dbPath, errInUse)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dataLock{f: f}, nil
}

// release gives the lock back; the file stays, empty, for the next holder.
func (l *dataLock) release() error {
	if l == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	return l.f.Close()
}
