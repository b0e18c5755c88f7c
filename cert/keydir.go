package cert

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// The layout of a key directory. Only the current key is private: a retired key is kept as
// its public half, so it still verifies the certificates it signed but can sign no more.
const (
	signingKeyFile = "signing.pem" // current private key, PKCS #8 PEM, mode 0600
	retiredDir     = "retired"     // <kid>.pem: public keys of former signing keys
	rotateLock     = ".rotate.lock"
)

// maxKeyFile bounds a key file read from disk.
const maxKeyFile = 64 << 10

// OpenKeyDir returns the ring kept in dir: the signing key from dir/signing.pem and the
// retired public keys from dir/retired/*.pem. On first use it creates dir (mode 0700) and
// generates the signing key, written atomically with mode 0600; when two processes start
// at once, one key wins and both use it. A signing key file that others may read is an
// error saying how to fix it.
func OpenKeyDir(dir string) (*Keyring, error) {
	if err := os.MkdirAll(filepath.Join(dir, retiredDir), 0o700); err != nil {
		return nil, fmt.Errorf("cert: creating key directory: %w", err)
	}
	path := filepath.Join(dir, signingKeyFile)
	priv, err := readPrivateKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		priv, err = createSigningKey(path)
	}
	if err != nil {
		return nil, err
	}
	retired, err := readRetiredKeys(dir)
	if err != nil {
		return nil, err
	}
	return NewKeyring(priv, retired...)
}

// RotateKeyDir makes a new signing key current in dir and keeps the old one's public key
// for verification, then returns the new ring. A running server keeps signing with the key
// it loaded until it is restarted; what it signs in the meantime still verifies, since the
// old key is kept. Two rotations at once are refused by a lock file.
func RotateKeyDir(dir string) (*Keyring, error) {
	if err := os.MkdirAll(filepath.Join(dir, retiredDir), 0o700); err != nil {
		return nil, fmt.Errorf("cert: creating key directory: %w", err)
	}
	lockPath := filepath.Join(dir, rotateLock)
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cert: another key rotation holds %s (remove it if no rotation is running): %w", lockPath, err)
	}
	lock.Close()
	defer os.Remove(lockPath)
	old, err := OpenKeyDir(dir)
	if err != nil {
		return nil, err
	}

	oldPub, _ := old.PublicKey(old.CurrentKeyID())
	pubPEM, err := MarshalPublicKey(oldPub)
	if err != nil {
		return nil, err
	}
	// Retire first: a crash after this step leaves the old key current and also listed as
	// retired, which is harmless; the reverse order could lose the old key.
	retiredPath := filepath.Join(dir, retiredDir, old.CurrentKeyID()+".pem")
	if _, err := writeFileAtomic(retiredPath, pubPEM, 0o644, true); err != nil {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("cert: generating key: %w", err)
	}
	privPEM, err := MarshalPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	if _, err := writeFileAtomic(filepath.Join(dir, signingKeyFile), privPEM, 0o600, true); err != nil {
		return nil, err
	}
	return OpenKeyDir(dir)
}

// LoadKeyFiles returns a ring from configured files, as SAFEDESK_*_FILE settings name
// them: signingFile holds the PEM private key that signs ("" for a ring that only
// verifies), and each of verifyFiles holds keys kept for verification: PEM public or
// private keys, or a key set from MarshalKeySet. Every file holding a private key must be
// readable by its owner only.
func LoadKeyFiles(signingFile string, verifyFiles ...string) (*Keyring, error) {
	var priv ed25519.PrivateKey
	if signingFile != "" {
		var err error
		if priv, err = readPrivateKeyFile(signingFile); err != nil {
			return nil, err
		}
	}
	var pubs []ed25519.PublicKey
	for _, path := range verifyFiles {
		data, mode, err := readKeyFile(path)
		if err != nil {
			return nil, err
		}
		if strings.Contains(string(data), "PRIVATE KEY") {
			if err := checkPrivateMode(path, mode); err != nil {
				return nil, err
			}
			privs, more, err := parsePEMKeys(data)
			if err != nil {
				return nil, fmt.Errorf("cert: %s: %w", path, err)
			}
			for _, p := range privs {
				pubs = append(pubs, p.Public().(ed25519.PublicKey))
			}
			pubs = append(pubs, more...)
			continue
		}
		set, err := ParseKeySet(data)
		if err != nil {
			return nil, fmt.Errorf("cert: %s: %w", path, err)
		}
		for _, id := range set.KeyIDs() {
			pub, _ := set.PublicKey(id)
			pubs = append(pubs, pub)
		}
	}
	return NewKeyring(priv, pubs...)
}

// readPrivateKeyFile reads a file holding exactly one Ed25519 private key, refusing one
// that others may read.
func readPrivateKeyFile(path string) (ed25519.PrivateKey, error) {
	data, mode, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	if err := checkPrivateMode(path, mode); err != nil {
		return nil, err
	}
	privs, pubs, err := parsePEMKeys(data)
	if err != nil {
		return nil, fmt.Errorf("cert: %s: %w", path, err)
	}
	if len(privs) != 1 || len(pubs) != 0 {
		return nil, fmt.Errorf("cert: %s must hold exactly one private key and nothing else", path)
	}
	return privs[0], nil
}

// readKeyFile reads a small file and the mode it had when opened.
func readKeyFile(path string) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("cert: reading key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("cert: reading key: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("cert: key file %s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, 0, fmt.Errorf("cert: reading key %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, 0, fmt.Errorf("cert: key file %s is larger than %d bytes", path, maxKeyFile)
	}
	return data, fi.Mode(), nil
}

// checkPrivateMode refuses a private key file that its group or others may use. Windows
// has no such mode bits, so there the check is left to the file's ACL.
func checkPrivateMode(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" || mode.Perm()&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("cert: private key file %s has mode %04o, so other users can read it; "+
		"make it readable by its owner only with `chmod 600 %s` (or mount the secret with mode 0400)",
		path, mode.Perm(), path)
}

// createSigningKey generates a key and writes it to path unless path appeared meanwhile,
// in which case the key already there is returned.
func createSigningKey(path string) (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("cert: generating key: %w", err)
	}
	data, err := MarshalPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	created, err := writeFileAtomic(path, data, 0o600, false)
	if err != nil {
		return nil, err
	}
	if !created {
		return readPrivateKeyFile(path)
	}
	return priv, nil
}

// readRetiredKeys reads every dir/retired/*.pem, in name order.
func readRetiredKeys(dir string) ([]ed25519.PublicKey, error) {
	paths, err := filepath.Glob(filepath.Join(dir, retiredDir, "*.pem"))
	if err != nil {
		return nil, fmt.Errorf("cert: listing retired keys: %w", err)
	}
	slices.Sort(paths)
	var pubs []ed25519.PublicKey
	for _, path := range paths {
		data, _, err := readKeyFile(path)
		if err != nil {
			return nil, err
		}
		privs, more, err := parsePEMKeys(data)
		if err != nil {
			return nil, fmt.Errorf("cert: %s: %w", path, err)
		}
		if len(privs) > 0 {
			return nil, fmt.Errorf("cert: %s holds a private key; a retired key is kept as its public key only", path)
		}
		pubs = append(pubs, more...)
	}
	return pubs, nil
}

// writeFileAtomic writes data to path through a temporary file in the same directory, so
// a reader never sees a half-written key. With replace it renames over any existing file;
// without, it links the new file into place only if path does not exist yet and reports
// whether it did.
func writeFileAtomic(path string, data []byte, perm fs.FileMode, replace bool) (created bool, err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, fmt.Errorf("cert: writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return false, fmt.Errorf("cert: writing %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, fmt.Errorf("cert: writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, fmt.Errorf("cert: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("cert: writing %s: %w", path, err)
	}
	if replace {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = os.Link(tmp.Name(), path)
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
	}
	if err != nil {
		return false, fmt.Errorf("cert: writing %s: %w", path, err)
	}
	syncDir(dir)
	return true, nil
}

// syncDir makes a rename in dir durable. It is best effort: some systems cannot sync a
// directory, and the file itself is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
