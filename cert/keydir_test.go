package cert

import (
	"crypto/ed25519"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("file mode bits do not apply on Windows")
	}
}

func TestOpenKeyDirGenerates(t *testing.T) {
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "keys")
	ring, err := OpenKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !isKeyID(ring.CurrentKeyID()) {
		t.Fatalf("current key id %q", ring.CurrentKeyID())
	}
	fi, err := os.Stat(filepath.Join(dir, signingKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("signing key written with mode %04o, want 0600", m)
	}
	di, _ := os.Stat(dir)
	if m := di.Mode().Perm(); m != 0o700 {
		t.Errorf("key directory created with mode %04o, want 0700", m)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	again, err := OpenKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.CurrentKeyID() != ring.CurrentKeyID() {
		t.Errorf("reopening gave key %s, want the stored %s", again.CurrentKeyID(), ring.CurrentKeyID())
	}
}

func TestOpenKeyDirConcurrentFirstStart(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ring, err := OpenKeyDir(dir)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = ring.CurrentKeyID()
		})
	}
	wg.Wait()
	if ids[0] == "" || slices.ContainsFunc(ids, func(s string) bool { return s != ids[0] }) {
		t.Errorf("processes starting together got different keys: %v", ids)
	}
}

func TestOpenKeyDirRefusesBroadPermissions(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	if _, err := OpenKeyDir(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, signingKeyFile)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := OpenKeyDir(dir)
		if err == nil {
			t.Fatalf("mode %04o accepted", mode)
		}
		if msg := err.Error(); !strings.Contains(msg, "chmod 600 "+path) || !strings.Contains(msg, "other users") {
			t.Errorf("mode %04o: error %q does not say how to fix it", mode, msg)
		}
	}
	os.Chmod(path, 0o400)
	if _, err := OpenKeyDir(dir); err != nil {
		t.Errorf("mode 0400 refused: %v", err)
	}
}

func TestRotateKeyDir(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	first, err := OpenKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, err := first.Sign(testPayload())
	if err != nil {
		t.Fatal(err)
	}
	second, err := RotateKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second.CurrentKeyID() == first.CurrentKeyID() {
		t.Fatal("rotation kept the signing key")
	}
	if st, err := Verify(old, second, old.Payload.IssuedAt, false); err != nil || st != StatusValid {
		t.Errorf("a certificate of the retired key after rotation: %s, %v", st, err)
	}
	fresh, _ := second.Sign(testPayload())
	if fresh.Payload.KeyID != second.CurrentKeyID() {
		t.Errorf("signed with %s after rotation, want %s", fresh.Payload.KeyID, second.CurrentKeyID())
	}
	// The retired key is kept public only.
	retired := filepath.Join(dir, retiredDir, first.CurrentKeyID()+".pem")
	data, err := os.ReadFile(retired)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "PRIVATE") {
		t.Error("the retired key was kept with its private half")
	}
	third, err := RotateKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.KeyIDs(); len(got) != 3 {
		t.Errorf("after two rotations the ring holds %v, want three keys", got)
	}
	reopened, _ := OpenKeyDir(dir)
	if reopened.CurrentKeyID() != third.CurrentKeyID() || len(reopened.KeyIDs()) != 3 {
		t.Errorf("reopened ring %s %v differs from the rotated one", reopened.CurrentKeyID(), reopened.KeyIDs())
	}
	if _, err := os.Stat(filepath.Join(dir, rotateLock)); !os.IsNotExist(err) {
		t.Errorf("rotation lock left behind: %v", err)
	}
	// A rotation already running is not run over.
	os.WriteFile(filepath.Join(dir, rotateLock), nil, 0o600)
	if _, err := RotateKeyDir(dir); err == nil || !strings.Contains(err.Error(), "another key rotation") {
		t.Errorf("rotation under a held lock: %v", err)
	}
}

func TestRetiredPrivateKeyRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenKeyDir(dir); err != nil {
		t.Fatal(err)
	}
	pemKey, _ := MarshalPrivateKey(testKey(5))
	os.WriteFile(filepath.Join(dir, retiredDir, "x.pem"), pemKey, 0o600)
	if _, err := OpenKeyDir(dir); err == nil || !strings.Contains(err.Error(), "public key only") {
		t.Errorf("a private key among the retired ones: %v", err)
	}
}

func TestLoadKeyFiles(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	signPEM, _ := MarshalPrivateKey(testKey(1))
	signing := write("signing.pem", signPEM, 0o600)
	pubPEM, _ := MarshalPublicKey(pub(testKey(2)))
	pubFile := write("old.pub.pem", pubPEM, 0o644)
	set, _ := mustRing(t, nil, pub(testKey(3))).MarshalKeySet()
	setFile := write("old.jwks.json", set, 0o644)
	oldPrivPEM, _ := MarshalPrivateKey(testKey(4))
	oldPriv := write("old.key.pem", oldPrivPEM, 0o600)

	ring, err := LoadKeyFiles(signing, pubFile, setFile, oldPriv)
	if err != nil {
		t.Fatal(err)
	}
	if ring.CurrentKeyID() != KeyID(pub(testKey(1))) {
		t.Errorf("current key %s", ring.CurrentKeyID())
	}
	for i := byte(1); i <= 4; i++ {
		if _, ok := ring.PublicKey(KeyID(pub(testKey(i)))); !ok {
			t.Errorf("key %d missing from the ring", i)
		}
	}

	verifyOnly, err := LoadKeyFiles("", pubFile)
	if err != nil || verifyOnly.CurrentKeyID() != "" {
		t.Errorf("verify-only ring: %v, current %q", err, verifyOnly.CurrentKeyID())
	}

	t.Run("broad mode on the signing key", func(t *testing.T) {
		p := write("loose.pem", signPEM, 0o644)
		if _, err := LoadKeyFiles(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("LoadKeyFiles = %v", err)
		}
	})
	t.Run("broad mode on a verification private key", func(t *testing.T) {
		p := write("loose-old.pem", oldPrivPEM, 0o644)
		if _, err := LoadKeyFiles(signing, p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("LoadKeyFiles = %v", err)
		}
	})
	t.Run("public key as signing key", func(t *testing.T) {
		p := write("pub-as-signing.pem", pubPEM, 0o600)
		if _, err := LoadKeyFiles(p); err == nil || !strings.Contains(err.Error(), "exactly one private key") {
			t.Errorf("LoadKeyFiles = %v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		p := write("garbage.pem", []byte("hello"), 0o600)
		if _, err := LoadKeyFiles(p); err == nil {
			t.Error("garbage accepted as a key")
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := LoadKeyFiles(filepath.Join(dir, "nope.pem")); err == nil {
			t.Error("missing file accepted")
		}
	})
	t.Run("directory", func(t *testing.T) {
		if _, err := LoadKeyFiles(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("LoadKeyFiles(dir) = %v", err)
		}
	})
}

func TestLoadKeyFilesOpenSSL(t *testing.T) {
	skipOnWindows(t)
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed (Debian package openssl); interoperability not checked")
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "k.pem")
	pubFile := filepath.Join(dir, "k.pub")
	if out, err := exec.Command(openssl, "genpkey", "-algorithm", "ed25519", "-out", key).CombinedOutput(); err != nil {
		t.Skipf("this openssl cannot make Ed25519 keys: %v %s", err, out)
	}
	os.Chmod(key, 0o600)
	if out, err := exec.Command(openssl, "pkey", "-in", key, "-pubout", "-out", pubFile).CombinedOutput(); err != nil {
		t.Fatalf("openssl pkey: %v %s", err, out)
	}
	ring, err := LoadKeyFiles(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ring.Sign(testPayload())
	if err != nil {
		t.Fatal(err)
	}
	pubData, _ := os.ReadFile(pubFile)
	verifier, err := ParseKeySet(pubData)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := Verify(s, verifier, s.Payload.IssuedAt, false); err != nil || st != StatusValid {
		t.Errorf("verified with openssl's public key: %s, %v", st, err)
	}
}

func TestNewKeyringRejectsBadSizes(t *testing.T) {
	if _, err := NewKeyring(ed25519.PrivateKey{1}); err == nil {
		t.Error("short private key accepted")
	}
	if _, err := NewKeyring(nil, ed25519.PublicKey{1}); err == nil {
		t.Error("short public key accepted")
	}
}
