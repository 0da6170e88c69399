//! The bytes of an input file: mapped into memory when it is a large regular file, read otherwise.
//!
//! What mapping buys: `std::fs::read` of a 100 MB journal costs about 60 ms on the reference
//! machine (a fresh 100 MB buffer: a page fault per 4 KiB page, then a copy), a quarter of
//! `oomlens explain`'s whole time; `mmap` with `MAP_POPULATE` of the same file, already in the
//! page cache, costs about 3 ms (docs/performance.md). Small files, standard input, other
//! platforms and any failure to map take the plain read.
//!
//! The caveat every tool that maps its input shares (ripgrep among them): a file that another
//! process truncates or rewrites while it is read can end the process with `SIGBUS` or make it
//! read the new bytes. `oomlens` reads a file once, start to end, and writes nothing to it.

use std::ops::Deref;

/// Below this size a plain read is as fast as a mapping.
const MAP_AT_LEAST: u64 = 1 << 20;

/// An input's bytes.
pub enum InputBytes {
    /// Read into memory.
    Owned(Vec<u8>),
    /// Mapped read-only from a file.
    #[cfg(unix)]
    Mapped(mapped::Map),
}

impl Deref for InputBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Owned(v) => v,
            #[cfg(unix)]
            InputBytes::Mapped(m) => m.bytes(),
        }
    }
}

/// The bytes of `path` (see the module doc for when they are mapped).
pub fn read(path: &str) -> std::io::Result<InputBytes> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    #[cfg(unix)]
    if meta.is_file() && meta.len() >= MAP_AT_LEAST {
        if let Some(m) = usize::try_from(meta.len())
            .ok()
            .and_then(|len| mapped::Map::new(&file, len))
        {
            return Ok(InputBytes::Mapped(m));
        }
    }
    let _ = meta;
    let mut buf = Vec::new();
    std::io::Read::read_to_end(&mut &file, &mut buf)?;
    Ok(InputBytes::Owned(buf))
}

/// `std::str::from_utf8`, with the two halves of a large input checked on two threads: the same
/// answer (a text is valid exactly when both halves, cut before a character's first byte, are),
/// and the same error, from a check of the whole, when it is not. What this buys: about 9 ms of
/// the 18 the check of a 100 MB journal costs on the reference machine (docs/performance.md).
pub fn text(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    text_split_from(bytes, 8 << 20)
}

fn text_split_from(bytes: &[u8], at_least: usize) -> Result<&str, std::str::Utf8Error> {
    if bytes.len() < at_least {
        return std::str::from_utf8(bytes);
    }
    // The cut moves past continuation bytes (`0b10xx_xxxx`): in valid text it then sits before
    // a character's first byte.
    let mut mid = bytes.len() / 2;
    while bytes.get(mid).is_some_and(|b| b & 0xC0 == 0x80) {
        mid += 1;
    }
    let (first, second) = bytes.split_at(mid);
    let (first_ok, second_ok) = std::thread::scope(|s| {
        let second = s.spawn(|| std::str::from_utf8(second).is_ok());
        let first_ok = std::str::from_utf8(first).is_ok();
        (first_ok, second.join().unwrap_or(false))
    });
    if first_ok && second_ok {
        // SAFETY: both halves are valid UTF-8, and valid UTF-8 followed by valid UTF-8 is valid.
        Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes)
    }
}

#[cfg(unix)]
mod mapped {
    use std::os::fd::AsRawFd;

    /// A read-only private mapping of a whole file, unmapped on drop.
    pub struct Map {
        ptr: *mut libc::c_void,
        len: usize,
    }

    impl Map {
        /// Maps `len` (> 0) bytes of `file`; `None` when the system refuses.
        pub(super) fn new(file: &std::fs::File, len: usize) -> Option<Map> {
            if len == 0 {
                return None;
            }
            // SAFETY: a fresh mapping of an open file descriptor, read-only and private; the
            // pointer is checked against MAP_FAILED and owned by the returned value.
            let ptr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | populate(),
                    file.as_raw_fd(),
                    0,
                )
            };
            (ptr != libc::MAP_FAILED).then_some(Map { ptr, len })
        }

        pub(super) fn bytes(&self) -> &[u8] {
            // SAFETY: `ptr` maps `len` readable bytes for as long as `self` lives (see the module
            // doc for a file changed by another process meanwhile).
            unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
        }
    }

    impl Drop for Map {
        fn drop(&mut self) {
            // SAFETY: unmaps exactly the mapping `new` made; no slice of it outlives `self`.
            unsafe {
                libc::munmap(self.ptr, self.len);
            }
        }
    }

    /// `MAP_POPULATE` (Linux): the page tables are filled at once instead of a fault per page.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn populate() -> libc::c_int {
        libc::MAP_POPULATE
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn populate() -> libc::c_int {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_agrees_with_from_utf8() {
        let cases: Vec<Vec<u8>> = vec![
            b"plain ascii text".to_vec(),
            "ab€cd".as_bytes().to_vec(), // a 3-byte character across the middle
            "€€€€€€".as_bytes().to_vec(), // every byte near the middle a continuation
            b"abcdefgh\xffij".to_vec(),  // invalid in the second half
            b"a\xc3bcdefghij".to_vec(),  // a cut character in the first half
            b"abcdefghij\xe2\x82".to_vec(), // a character cut by the end
            b"\x80\x80\x80\x80".to_vec(), // continuation bytes only
            Vec::new(),
        ];
        for c in cases {
            assert_eq!(text_split_from(&c, 0), std::str::from_utf8(&c), "{c:?}");
            assert_eq!(text(&c), std::str::from_utf8(&c));
        }
    }

    #[test]
    fn small_and_large_files_read_the_same_bytes() {
        let dir = std::env::temp_dir().join(format!("oomlens-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let small = dir.join("small");
        let large = dir.join("large");
        let line = b"Dec  7 12:00:01 node kernel: nginx invoked oom-killer\n";
        std::fs::write(&small, line).unwrap();
        let big: Vec<u8> = line.iter().copied().cycle().take(3 << 20).collect();
        std::fs::write(&large, &big).unwrap();
        let s = read(small.to_str().unwrap()).unwrap();
        assert!(matches!(s, InputBytes::Owned(_)));
        assert_eq!(&*s, line);
        let l = read(large.to_str().unwrap()).unwrap();
        #[cfg(unix)]
        assert!(matches!(l, InputBytes::Mapped(_)));
        assert_eq!(&*l, &big[..]);
        assert!(read(dir.join("absent").to_str().unwrap()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
