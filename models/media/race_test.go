//go:build race

package media_test

// raceMemory is how much more memory a process takes under the race
// detector (its shadow memory): about 3 times here, measured on the
// 40-megapixel pictures.
const raceMemory = 4
