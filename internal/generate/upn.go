package generate

// checkLetters maps a weighted digit sum mod 23 to the UPN check letter
// (DfE "Unique pupil numbers" guidance; I, O and S are never used).
const checkLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

// upnFor builds a 13-character UPN in the DfE layout: check letter, LA
// number (3), establishment (4), year of allocation (2), serial (3). The
// establishment and serial encode the pupil's serial within its district, so
// UPNs are unique; the LA number is 204 (Hackney) for the first district and
// 9xx (no such LA) for the synthetic others.
func upnFor(district int, serial int, allocYear int) string {
	la := 204
	if district > 0 {
		la = 900 + district
	}
	var b [13]byte
	put := func(pos, width, v int) {
		for i := pos + width - 1; i >= pos; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(1, 3, la)
	put(4, 4, 2000+serial/1000)
	put(8, 2, allocYear%100)
	put(10, 3, serial%1000)
	b[0] = upnCheckLetter(b[1:])
	return string(b[:])
}

// upnCheckLetter computes the check letter for the 12 characters after it.
func upnCheckLetter(rest []byte) byte {
	sum := 0
	for i, c := range rest {
		sum += int(c-'0') * (i + 2)
	}
	return checkLetters[sum%23]
}
