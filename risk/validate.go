package risk

// Validators for numbers, working on ASCII digit strings ('x' stands for the check
// character X of a resident ID).

// numKind is what a digit string can be; a string may qualify as more than one.
type numKind uint8

const (
	numMobile   numKind = 1 << iota // mainland mobile, 11 digits
	numLandline                     // mainland landline with area code
	numIntl                         // international, with + or 00
	numNANP                         // North American number written without +1
	numID18                         // resident ID, 18 characters
	numID15                         // legacy resident ID, 15 digits
	numCard                         // bank card
	// numNational is a mobile of another country written the national way, without
	// +: UK 07… (11 digits), Australian 04… (10), Malaysian 01… (10; 011…, 11),
	// Indian 6…–9… (10, not grouped 3-3-4 as North American numbers are), Taiwanese
	// 09… (10) and Hong Kong 5…, 6… and 9… (8).
	// As bare digits these shapes are as often order numbers, so they are phones only
	// with a phone word near.
	numNational
)

const numPhone = numMobile | numLandline | numIntl | numNANP | numNational

// classifyNumber returns every kind the digit string d can be. intl says it was written
// with a leading "+"; shape334 says its groups were written 3-3-4 (or 1-3-3-4);
// maxBirth is the latest valid birth date as yyyymmdd.
func classifyNumber(d string, intl, shape334 bool, maxBirth int) numKind {
	var k numKind
	hasX := len(d) > 0 && d[len(d)-1] == 'x'
	if hasX {
		if len(d) == 18 && validID18(d, maxBirth) {
			return numID18
		}
		return 0
	}
	if intl || len(d) > 4 && d[:2] == "00" {
		rest := d
		if !intl {
			rest = d[2:]
		}
		switch {
		case len(rest) > 2 && rest[:2] == "86":
			if cnMobile(rest[2:]) || cnLandline("0"+rest[2:]) {
				k |= numIntl
			}
		case len(rest) == 11 && rest[0] == '1':
			if nanp(rest[1:]) {
				k |= numIntl
			}
		case len(rest) >= 8 && len(rest) <= 15 && rest[0] != '0':
			k |= numIntl
		}
		return k
	}
	if cnMobile(d) || len(d) == 13 && d[:2] == "86" && cnMobile(d[2:]) {
		k |= numMobile
	}
	if cnLandline(d) {
		k |= numLandline
	}
	if shape334 && (len(d) == 10 && nanp(d) || len(d) == 11 && d[0] == '1' && nanp(d[1:])) {
		k |= numNANP
	}
	if shape334 && len(d) == 11 {
		k &^= numMobile // "1-888-555-0199": grouped 1-3-3-4, a North American number, never a mainland mobile
	}
	if len(d) == 11 && d[:2] == "07" && d[2] != '0' || len(d) == 10 && d[:2] == "04" ||
		len(d) == 10 && d[:2] == "01" && d[2] != '1' || len(d) == 11 && d[:3] == "011" ||
		len(d) == 10 && d[0] >= '6' && d[0] <= '9' && !shape334 || len(d) == 10 && d[:2] == "09" ||
		len(d) == 8 && (d[0] == '5' || d[0] == '6' || d[0] == '9') {
		k |= numNational
	}
	if len(d) == 18 && validID18(d, maxBirth) {
		k |= numID18
	}
	if len(d) == 15 && validID15(d) {
		k |= numID15
	}
	if len(d) >= 13 && len(d) <= 19 && luhn(d) && cardPrefix(d) {
		k |= numCard
	}
	return k
}

func cnMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}

// cnLandline: 0 + area code + subscriber number. Area codes 010 and 02x have three
// digits and eight-digit subscribers; the others have four digits and seven or eight.
func cnLandline(d string) bool {
	if len(d) < 10 || d[0] != '0' || d[1] == '0' {
		return false
	}
	var sub string
	if d[1] == '1' || d[1] == '2' {
		sub = d[3:]
		if len(sub) != 8 {
			return false
		}
	} else {
		sub = d[4:]
		if len(sub) != 7 && len(sub) != 8 {
			return false
		}
	}
	return sub[0] >= '2' && sub[0] <= '9'
}

// nanp: a ten-digit North American number, area code and exchange not starting 0 or 1.
// Toll-free and unassigned 400 codes are left out: they are business lines, and "400-…"
// is also how Chinese company hotlines are written.
func nanp(d string) bool {
	if len(d) != 10 || d[0] < '2' || d[3] < '2' {
		return false
	}
	switch d[:3] {
	case "400", "800", "833", "844", "855", "866", "877", "888":
		return false
	}
	return true
}

// provinces holds the valid first two digits of resident ID region codes.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// validID18 checks an 18-character resident ID: province, a real birth date between
// 1900 and maxBirth, and the ISO 7064 MOD 11-2 check character.
func validID18(d string, maxBirth int) bool {
	if len(d) != 18 || !provinces[d[:2]] {
		return false
	}
	for i := 0; i < 17; i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	y, m, day := atoi(d[6:10]), atoi(d[10:12]), atoi(d[12:14])
	if y < 1900 || !validDate(y, m, day) || y*10000+m*100+day > maxBirth {
		return false
	}
	return d[17] == id18Check(d[:17])
}

// id18Check computes the ISO 7064 MOD 11-2 check character of 17 digits.
func id18Check(d string) byte {
	sum := 0
	w := 1
	// Weight of position i is 2^(17-i) mod 11; walk from the right.
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(d[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'x'
	}
	return byte('0' + c)
}

// validID15 checks a legacy 15-digit ID: province and a real 19yy birth date.
func validID15(d string) bool {
	if len(d) != 15 || !provinces[d[:2]] {
		return false
	}
	return validDate(1900+atoi(d[6:8]), atoi(d[8:10]), atoi(d[10:12]))
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// luhn reports whether d passes the Luhn check.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		c := int(d[i] - '0')
		if c < 0 || c > 9 {
			return false
		}
		if double {
			c *= 2
			if c > 9 {
				c -= 9
			}
		}
		sum += c
		double = !double
	}
	return sum%10 == 0
}

// cardPrefix reports whether the issuer prefix of d fits its length for a card network
// that issues such numbers: Visa 4 (16, 19), Mastercard 51–55 and 2221–2720 (16), Amex
// 34/37 (15), Diners 36 and 300–305 (14), JCB 3528–3589 (16–19), UnionPay 62 and
// Chinese domestic 60/9558 (16–19), Discover 6011/644–649/65 (16–19), Maestro 50/56–58
// (16–19).
func cardPrefix(d string) bool {
	n := len(d)
	p2, p4 := atoi(d[:2]), atoi(d[:4])
	switch {
	case d[0] == '4':
		return n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16
	case p2 == 34 || p2 == 37:
		return n == 15
	case p2 == 36, p4 >= 3000 && p4 <= 3059:
		return n == 14
	case p4 >= 3528 && p4 <= 3589, p2 == 62, p2 == 60, p2 == 65, p4 >= 6440 && p4 <= 6499,
		p2 == 50, p2 >= 56 && p2 <= 58, p4 == 9558:
		return n >= 16 && n <= 19
	}
	return false
}
