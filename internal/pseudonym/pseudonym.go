// Package pseudonym replaces pupil identifiers (UPNs) with keyed pseudonyms
// at load, so the warehouse never holds a clear UPN. The same UPN and key
// always give the same pseudonym, so a pupil can be followed across censuses
// and linked to exclusions; without the key the UPN cannot be recovered.
package pseudonym

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
)

// Pseudonymiser makes pseudonyms with one key. It is not safe for concurrent
// use.
type Pseudonymiser struct {
	mac hash.Hash
	sum []byte
}

// New returns a Pseudonymiser using HMAC-SHA256 with key.
func New(key []byte) *Pseudonymiser {
	return &Pseudonymiser{mac: hmac.New(sha256.New, key)}
}

// Of returns the pseudonym of upn: the first 128 bits of
// HMAC-SHA256(key, normalised upn), in hex. Case and surrounding space do
// not change it.
func (p *Pseudonymiser) Of(upn string) string {
	p.mac.Reset()
	p.mac.Write([]byte(Normalize(upn)))
	p.sum = p.mac.Sum(p.sum[:0])
	return hex.EncodeToString(p.sum[:16])
}

// Normalize trims and upper-cases a UPN.
func Normalize(upn string) string { return strings.ToUpper(strings.TrimSpace(upn)) }

// Valid reports whether upn has the shape of a Unique Pupil Number: 13
// characters, a letter then 12 letters or digits (DfE's check letter is not
// verified: temporary UPNs share the shape).
func Valid(upn string) bool {
	u := Normalize(upn)
	if len(u) != 13 {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i == 0 && !letter || !letter && !digit {
			return false
		}
	}
	return true
}

// Mask hides an identifier for error reports: the first and last characters
// stay, so a data officer can find the row, the rest become '*'.
func Mask(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 2 {
		return strings.Repeat("*", len(r))
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}
