package pseudonym

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestOf(t *testing.T) {
	p := New([]byte("k1"))
	a := p.Of("A12345678901B")
	if got := p.Of("  a12345678901b "); got != a {
		t.Errorf("case and space changed the pseudonym: %s vs %s", got, a)
	}
	if got := New([]byte("k2")).Of("A12345678901B"); got == a {
		t.Error("a different key gave the same pseudonym")
	}
	if p.Of("A12345678901C") == a {
		t.Error("different UPNs gave the same pseudonym")
	}
	// Independent computation of HMAC-SHA256("k1", "A12345678901B"), first 16 bytes.
	m := hmac.New(sha256.New, []byte("k1"))
	m.Write([]byte("A12345678901B"))
	if want := hex.EncodeToString(m.Sum(nil)[:16]); a != want {
		t.Errorf("Of = %s, want %s", a, want)
	}
	if len(a) != 32 {
		t.Errorf("pseudonym length %d, want 32", len(a))
	}
}

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"A12345678901B", true},
		{"a1234567890AB", true},
		{"112345678901B", false},  // starts with a digit
		{"A1234567890B", false},   // 12 characters
		{"A12345678901BC", false}, // 14
		{"A1234567890-B", false},
		{"", false},
	} {
		if got := Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{"A12345678901B": "A***********B", "ab": "**", "": ""} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
