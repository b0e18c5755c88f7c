package passwd

import "testing"

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery", Default)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := Hash("correct horse battery", Default)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := Verify(tc.pw, h)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA", "plain"} {
		if _, err := Verify("x", bad); err != ErrMalformed {
			t.Errorf("Verify(%q) err = %v, want ErrMalformed", bad, err)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		Hash("correct horse battery", Default)
	}
}
