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
