package generate

import (
	"math"
	"math/rand/v2"
)

// rng is a deterministic random source. Every independent part of the
// generator (a district, a year, a return) gets its own stream derived from
// the seed and a label, so adding draws in one part never shifts another.
type rng struct{ *rand.Rand }

// newRNG returns the stream for seed and the given labels.
func newRNG(seed int64, labels ...uint64) rng {
	h := splitmix(uint64(seed))
	for _, l := range labels {
		h = splitmix(h ^ l)
	}
	return rng{rand.New(rand.NewPCG(h, splitmix(h)))}
}

// sub derives an independent child stream.
func (r rng) sub(labels ...uint64) rng {
	return newRNG(int64(r.Uint64()), labels...)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// uniform returns a float in [lo, hi).
func (r rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// poisson draws from a Poisson distribution (Knuth; fine for small means).
func (r rng) poisson(mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		n := int(math.Round(mean + math.Sqrt(mean)*r.NormFloat64()))
		return max(n, 0)
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// weighted picks an index with probability proportional to w[i].
func (r rng) weighted(w []float64) int {
	var total float64
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// table is a precomputed weighted choice over n items.
type table struct{ cum []float64 }

func newTable(w []float64) table {
	cum := make([]float64, len(w))
	var t float64
	for i, x := range w {
		t += x
		cum[i] = t
	}
	return table{cum}
}

func (t table) pick(r rng) int {
	x := r.Float64() * t.cum[len(t.cum)-1]
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if x < t.cum[m] {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
