//! Line handling shared by the readers: iterate a paste line by line with 1-based numbers, strip
//! the prefixes that log tools put before a kernel (or daemon) message, and find anchors fast.
//!
//! Prefixes recognised, in any combination and order of nesting (one log tool wrapping another):
//! - mail and Markdown quote markers `> ` (a report quoted in a reply or an issue);
//! - raw `/dev/kmsg` records `6,1234,5678,-;` (`PRIORITY,SEQ,USEC,FLAGS;`, `Documentation/ABI/testing/dev-kmsg`);
//! - `dmesg` timestamps `[  123.456789]`, `dmesg -T` `[Mon Dec  8 17:51:31 2025]` in any locale
//!   (`[月  1月 26 01:49:41 2026]`), `dmesg -x` `kern  :info  : `, `dmesg -r` `<6>`;
//! - the caller id of `CONFIG_PRINTK_CALLER` kernels, `[T1234]` / `[ C3]`;
//! - journalctl/syslog `Mon DD HH:MM:SS host tag[pid]: ` in any locale (`avril 16 21:08:50`), with
//!   or without the host, ISO `2024-01-02T03:04:05.123+00:00 host tag: `, `-o short-unix`
//!   `1700000000.123 host tag: ` and `-o short-monotonic` `[ 1234.5678] host tag: `.
//!
//! The tag (`kernel`, `systemd-oomd`) is kept so readers can tell a kernel line from a daemon's.

/// A line of the paste with its 1-based number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedLine<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The line without its terminator (`\n`, `\r\n`).
    pub text: &'a str,
}

/// Iterates the lines of `text` with 1-based numbers; `\r\n` and `\n` both end a line.
///
/// The lines are `str::lines`'s, each without one more trailing `\r`. The line ends come from
/// `memchr` rather than `str::lines`'s per-line character search: what this buys is the split of
/// a 100 MB journal (478,158 lines) in about 27 ms instead of 31–37 (docs/performance.md).
pub fn numbered(text: &str) -> impl Iterator<Item = NumberedLine<'_>> {
    let len = text.len();
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    let (mut start, mut number) = (0usize, 0usize);
    std::iter::from_fn(move || {
        let (line, next) = match ends.next() {
            // `str::lines` takes the `\r` of a `\r\n`.
            Some(nl) => {
                let l = text.get(start..nl)?;
                (l.strip_suffix('\r').unwrap_or(l), nl + 1)
            }
            None if start < len => (text.get(start..)?, len),
            None => return None,
        };
        start = next;
        number += 1;
        Some(NumberedLine {
            number,
            text: line.strip_suffix('\r').unwrap_or(line),
        })
    })
}

/// Where several needles occur in a text, in order of position: every occurrence of every
/// needle (overlapping ones too), sorted by position (ties by needle order), each once.
///
/// What this buys: every reader looks for rare words (the kernel reader's anchors, systemd-oomd's,
/// systemd's unit lines, node-problem-detector's), and `explain` looks for all but the kernel
/// reader's at once. Few needles are searched chunk by chunk, one `memchr::memmem` finder each:
/// one pass over a 100 MB journal costs about 12 ms, bound by memory traffic, and each 16 KiB
/// chunk searched for every needle while it sits in the cache costs about 6 ms per needle. From
/// [`AUTOMATON_AT`] needles on, one Aho-Corasick automaton finds them in a single pass: for the
/// 14 words `explain` shares, about 170 ms instead of 235 for a 50 MB journal in the browser's
/// worker, where `memchr` has no vector instructions, and 25 ms instead of 39 natively
/// (docs/performance.md).
pub struct Hits<'t, 'n> {
    text: &'t [u8],
    needles: Vec<&'n [u8]>,
    search: Search<'n>,
    /// Hits found last (of one chunk, or at one position), sorted, and how many were handed out.
    pending: Vec<(usize, usize)>,
    taken: usize,
}

/// How [`Hits`] searches.
enum Search<'n> {
    /// One finder per needle; the start of the next chunk to search.
    Finders(Vec<memchr::memmem::Finder<'n>>, usize),
    /// One automaton (leftmost-first: the earliest start); where the next search starts.
    Automaton(aho_corasick::AhoCorasick, usize),
}

/// Bytes searched per chunk by the finders: small enough to stay in a core's cache for every
/// needle.
const CHUNK: usize = 16 * 1024;

/// From this many needles on, [`Hits`] uses one automaton.
pub const AUTOMATON_AT: usize = 8;

impl<'t, 'n> Hits<'t, 'n> {
    /// Searches `text` for `needles` (empty needles are ignored).
    pub fn new(text: &'t [u8], needles: &[&'n [u8]]) -> Hits<'t, 'n> {
        let needles: Vec<&'n [u8]> = needles.iter().copied().filter(|n| !n.is_empty()).collect();
        let automaton = (needles.len() >= AUTOMATON_AT)
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(&needles)
                    .ok()
            })
            .flatten();
        let search = match automaton {
            Some(ac) => Search::Automaton(ac, 0),
            None => Search::Finders(
                needles
                    .iter()
                    .map(|n| memchr::memmem::Finder::new(*n))
                    .collect(),
                0,
            ),
        };
        Hits {
            text,
            needles,
            search,
            pending: Vec::new(),
            taken: 0,
        }
    }

    /// The first hit at or after `pos`: its position and the needle's index among the non-empty
    /// needles. `pos` must not go backwards between calls.
    pub fn next_at_or_after(&mut self, pos: usize) -> Option<(usize, usize)> {
        loop {
            while let Some(&(at, k)) = self.pending.get(self.taken) {
                self.taken += 1;
                if at >= pos {
                    return Some((at, k));
                }
            }
            self.pending.clear();
            self.taken = 0;
            let len = self.text.len();
            match &mut self.search {
                Search::Automaton(ac, from) => {
                    // The earliest position at or after `from` where a needle starts; every
                    // needle starting there is a hit (the automaton reports one of them), and
                    // the next search starts one byte later, so a needle inside another's match
                    // is found too.
                    let start = (*from).max(pos);
                    if start >= len {
                        return None;
                    }
                    let m = ac.find(aho_corasick::Input::new(self.text).span(start..len))?;
                    let at = m.start();
                    let rest = self.text.get(at..).unwrap_or(&[]);
                    self.pending.extend(
                        self.needles
                            .iter()
                            .enumerate()
                            .filter(|(_, n)| rest.starts_with(n))
                            .map(|(k, _)| (at, k)),
                    );
                    *from = at + 1;
                }
                Search::Finders(finders, next_chunk) => {
                    // Nothing left in this chunk: search the next one that can hold `pos`.
                    let start = (*next_chunk).max(pos - pos % CHUNK);
                    if start >= len || finders.is_empty() {
                        return None;
                    }
                    let end = start.saturating_add(CHUNK).min(len);
                    *next_chunk = end;
                    for (k, f) in finders.iter().enumerate() {
                        // A match starting in this chunk may run into the next one.
                        let reach = end
                            .saturating_add(f.needle().len().saturating_sub(1))
                            .min(len);
                        let hay = self.text.get(start..reach).unwrap_or(&[]);
                        // Every occurrence, overlapping ones too (`--` twice in `---`): a chunk
                        // then never finds again a match the chunk before found running into it.
                        let mut from = 0usize;
                        while let Some(i) = hay.get(from..).and_then(|h| f.find(h)) {
                            let at = start + from + i;
                            if at >= end {
                                break;
                            }
                            self.pending.push((at, k));
                            from += i + 1;
                        }
                    }
                    self.pending.sort_unstable();
                }
            }
        }
    }
}

/// The lines of `text` that hold any of `needles`, numbered as [`numbered`] numbers them. Only
/// those lines are cut out; the text between them is skipped by substring search ([`Hits`]) and
/// only its newlines are counted. What this buys: a reader looking for rare words (systemd-oomd's)
/// goes through a 100 MB journal in a few milliseconds instead of splitting a million lines.
pub fn lines_containing<'a>(
    text: &'a str,
    needles: &[&'a str],
) -> impl Iterator<Item = NumberedLine<'a>> + 'a {
    let bytes = text.as_bytes();
    let needles: Vec<&'a [u8]> = needles.iter().map(|n| n.as_bytes()).collect();
    let mut hits = Hits::new(bytes, &needles);
    let (mut pos, mut counted, mut line_no) = (0usize, 0usize, 1usize);
    std::iter::from_fn(move || {
        let (hit, _) = hits.next_at_or_after(pos)?;
        let start = memchr::memrchr(b'\n', bytes.get(..hit)?).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', bytes.get(hit..)?).map_or(bytes.len(), |i| hit + i);
        line_no += count_newlines(bytes.get(counted..start)?);
        counted = start;
        pos = end.saturating_add(1);
        // As `numbered`: `str::lines` takes the `\r` of a `\r\n`, then one more `\r` goes.
        let mut line = text.get(start..end)?;
        if end < bytes.len() {
            line = line.strip_suffix('\r').unwrap_or(line);
        }
        Some(NumberedLine {
            number: line_no,
            text: line.strip_suffix('\r').unwrap_or(line),
        })
    })
}

/// For each group of needles, the indices into `lines` of the lines holding one of them,
/// ascending, each line once per group. `lines` must be `numbered(text)` (every line, in order).
/// One [`Hits`] search serves every group, and the lines already split give the numbers, so
/// nothing else reads the text: how `explain` runs its readers' substring searches at once.
pub fn lines_holding(
    text: &str,
    lines: &[NumberedLine<'_>],
    groups: &[&[&str]],
) -> Vec<Vec<usize>> {
    let mut needles: Vec<&[u8]> = Vec::new();
    let mut group_of: Vec<usize> = Vec::new();
    for (g, ns) in groups.iter().enumerate() {
        for n in ns.iter().filter(|n| !n.is_empty()) {
            needles.push(n.as_bytes());
            group_of.push(g);
        }
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let base = text.as_ptr() as usize;
    let start_of = |l: &NumberedLine<'_>| (l.text.as_ptr() as usize).wrapping_sub(base);
    let mut hits = Hits::new(text.as_bytes(), &needles);
    let mut line = 0usize;
    let mut pos = 0usize;
    while let Some((at, k)) = hits.next_at_or_after(pos) {
        while lines.get(line + 1).is_some_and(|l| start_of(l) <= at) {
            line += 1;
        }
        let Some(g) = group_of.get(k).and_then(|g| out.get_mut(*g)) else {
            break;
        };
        if g.last() != Some(&line) {
            g.push(line);
        }
        pos = at;
    }
    out
}

/// Counts `\n` (memchr's vectorised count: about 17 ms for 100 MB read from memory here, against
/// 24 ms for eight bytes at a time).
pub fn count_newlines(b: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', b).count()
}

/// A log line with its log-tool prefixes removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stripped<'a> {
    /// The message as the kernel (or daemon) printed it, leading blanks kept.
    pub message: &'a str,
    /// The syslog/journal tag (`kernel`, `systemd-oomd`), without `[pid]`, when one was present.
    pub tag: Option<&'a str>,
    /// The outermost time printed before the message, as printed: `Dec  7 12:00:01`,
    /// `2024-01-02T03:04:05.123+00:00`, `1234.567890` (dmesg's `[…]` without the brackets).
    pub time: Option<&'a str>,
}

/// Removes every recognised prefix from `line` (see the module doc). Never fails: a line with no
/// prefix comes back unchanged.
pub fn strip_prefixes(line: &str) -> Stripped<'_> {
    let mut rest = line;
    let mut tag = None;
    let mut time = None;
    // A handful of rounds is enough for any real nesting (journal → kmsg → time → caller id).
    for _ in 0..8 {
        let start = trim_blanks(rest);
        // A mail or Markdown quote (`> `, `>> `, `> > `): no kernel or daemon message starts with `>`.
        if let Some(r) = start.strip_prefix('>') {
            rest = r;
            continue;
        }
        // A JSON log record or a pretty-printed member of one: the text of its message field.
        if start.starts_with(['{', '"']) {
            if let Some(r) = strip_json_field(start) {
                rest = r;
                continue;
            }
        }
        // Every prefix starts with a digit, `<`, `[`, a letter (month, facility) or a non-ASCII
        // month name; anything else (blank-led stack frames, `-`, `(`) has none.
        match start.as_bytes().first() {
            Some(b) if b.is_ascii_alphanumeric() || *b == b'<' || *b == b'[' || *b >= 0x80 => {}
            _ => break,
        }
        if let Some(r) = strip_vmware_guest(start) {
            rest = r;
            continue;
        }
        if let Some(r) = strip_kmsg(start) {
            rest = r;
            continue;
        }
        if let Some(r) = strip_syslog_priority(start) {
            rest = r;
            continue;
        }
        if let Some((r, t, when)) = strip_syslog(start) {
            rest = r;
            tag = Some(t);
            time = time.or(Some(when));
            continue;
        }
        if let Some((r, when)) = strip_iso_time(start) {
            rest = r;
            time = time.or(Some(when));
            continue;
        }
        if let Some((r, when)) = strip_bracket_time(start) {
            rest = r;
            time = time.or(Some(when));
            continue;
        }
        if let Some(r) = strip_caller_id(start) {
            rest = r;
            continue;
        }
        if let Some(r) = strip_dmesg_x(start) {
            rest = r;
            continue;
        }
        break;
    }
    // One space conventionally separates the last prefix from the message; keep the message's
    // own indentation (stack frames, Mem-Info continuation lines) beyond that.
    let message = rest.strip_prefix(' ').unwrap_or(rest);
    Stripped { message, tag, time }
}

/// The fields log shippers put a kernel line in: journald's `journalctl -o json`, Docker and
/// Fluent Bit (`log`), Loki and Elasticsearch exports (`message`, `msg`), Google Cloud Logging
/// (`textPayload`).
const JSON_TEXT_FIELDS: [&str; 5] = [
    "\"MESSAGE\":",
    "\"message\":",
    "\"log\":",
    "\"msg\":",
    "\"textPayload\":",
];

/// `{"MESSAGE":"text",…}` or a pretty-printed `"textPayload": "text",` → the text, without
/// the escaped line end a shipper kept (`\n`, `\r\n`, doubly escaped `\\r\\n`). Other escapes
/// stay as written (kernel OOM lines hold none).
fn strip_json_field(s: &str) -> Option<&str> {
    let h = head(s, 4096);
    let (at, key) = JSON_TEXT_FIELDS
        .iter()
        .filter_map(|k| h.find(k).map(|i| (i, k.len())))
        .min()?;
    let v = h.get(at + key..)?.trim_start();
    let body = v.strip_prefix('"')?;
    // The closing quote: the first `"` not escaped by a backslash.
    let b = body.as_bytes();
    let mut end = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => {
                end = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    let mut text = body.get(..end.unwrap_or(b.len()))?;
    loop {
        let t = ["\\\\r\\\\n", "\\\\n", "\\r\\n", "\\n", "\\r"]
            .iter()
            .find_map(|e| text.strip_suffix(e));
        match t {
            Some(t) => text = t,
            None => break,
        }
    }
    Some(text)
}

/// The searcher for VMware's `vcpu-`, built once: the test runs on every line a reader looks at.
static VCPU: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("vcpu-"));

/// The first `b` (an ASCII byte) in `s`: `str::find` with a `char` pattern, without its
/// per-call set-up (these prefix tests run on every line a reader looks at).
fn find_byte(s: &str, b: u8) -> Option<usize> {
    memchr::memchr(b, s.as_bytes())
}

/// The length of the leading run of `s` whose characters are whitespace (`blank`) or not
/// (`!blank`), as `char::is_whitespace` tells: ASCII bytes are tested directly, the first
/// non-ASCII character hands the rest to the character test.
fn span(s: &str, blank: bool) -> usize {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            let rest = s.get(i..).unwrap_or("");
            return i + rest
                .find(|c: char| c.is_whitespace() != blank)
                .unwrap_or(rest.len());
        }
        // `char::is_whitespace` on ASCII: space and U+0009..=U+000D.
        if (b == b' ' || (0x09..=0x0d).contains(&b)) != blank {
            return i;
        }
    }
    s.len()
}

/// A VMware `vmware.log` line relaying the guest's console: `2023-12-04T10:49:30.103Z In(05)
/// vcpu-5 - Guest: <4>[…] …` (or the older `…Z| vcpu-5| I005: Guest: …`) → the guest's text.
fn strip_vmware_guest(s: &str) -> Option<&str> {
    let h = head(s, 96);
    let vcpu = VCPU.find(h.as_bytes())?;
    let guest = h.get(vcpu..)?.find("Guest: ")? + vcpu;
    s.get(guest + "Guest: ".len()..)
}

/// Leading blanks removed, looking at most 256 bytes ahead (a prefix never follows more).
fn trim_blanks(s: &str) -> &str {
    let n = s
        .as_bytes()
        .iter()
        .take(256)
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    s.get(n..).unwrap_or(s)
}

/// `6,1234,5678,-;` → the rest. Requires three comma-separated decimal fields and a `;`.
fn strip_kmsg(s: &str) -> Option<&str> {
    let semi = find_byte(head(s, 48), b';')?;
    let head = s.get(..semi)?;
    let mut fields = head.split(',');
    for _ in 0..3 {
        let f = fields.next()?;
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    s.get(semi + 1..)
}

/// `<6>` (dmesg -r, syslog raw priority) → the rest.
fn strip_syslog_priority(s: &str) -> Option<&str> {
    let r = s.strip_prefix('<')?;
    let end = find_byte(head(r, 6), b'>')?;
    if end == 0 || end > 4 || !r.get(..end)?.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    r.get(end + 1..)
}

/// `dmesg --time-format iso`: `2024-04-29T14:55:41,678628+02:00 ` (comma or point before the
/// fraction, an optional zone `Z`/`±HH:MM`/`±HHMM`) with no host or tag after it → the rest and
/// the time.
fn strip_iso_time(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let shape = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && b.get(10) == Some(&b'T')
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !shape {
        return None;
    }
    let end = find_byte(head(s, 48), b' ')?;
    let tail = s.get(19..end)?;
    let ok = tail
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b',' | b'.' | b'+' | b'-' | b':' | b'Z'));
    ok.then(|| (s.get(end..).unwrap_or(""), s.get(..end).unwrap_or("")))
}

/// `[  123.456789]` or `dmesg -T` `[Mon Dec  8 17:51:31 2025]` (any locale) → the rest and the
/// time inside the brackets.
fn strip_bracket_time(s: &str) -> Option<(&str, &str)> {
    let r = s.strip_prefix('[')?;
    let end = find_byte(head(r, 64), b']')?;
    let inner = r.get(..end)?.trim();
    let monotonic = !inner.is_empty()
        && inner.contains('.')
        && inner.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && inner.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if monotonic || contains_clock(inner) {
        return Some((r.get(end + 1..)?, inner));
    }
    None
}

/// `[T1234]`, `[ C3]` (printk caller id) → the rest.
fn strip_caller_id(s: &str) -> Option<&str> {
    let r = s.strip_prefix('[')?;
    let end = find_byte(head(r, 12), b']')?;
    let inner = r.get(..end)?.trim_start();
    let digits = inner
        .strip_prefix('T')
        .or_else(|| inner.strip_prefix('C'))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    r.get(end + 1..)
}

/// `dmesg -x`: `kern  :info  : ` (facility, level, each padded and followed by `:`) → the rest.
fn strip_dmesg_x(s: &str) -> Option<&str> {
    const FACILITIES: [&str; 12] = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
        "authpriv", "ftp",
    ];
    const LEVELS: [&str; 8] = [
        "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
    ];
    let colon = find_byte(head(s, 12), b':')?;
    let fac = s.get(..colon)?.trim_end();
    if !FACILITIES.contains(&fac) {
        return None;
    }
    let r = s.get(colon + 1..)?;
    let colon2 = find_byte(head(r, 10), b':')?;
    let lvl = r.get(..colon2)?.trim();
    if !LEVELS.contains(&lvl) {
        return None;
    }
    r.get(colon2 + 1..)
}

/// True when `s` holds a wall-clock time `HH:MM:SS` (digits around two colons).
fn contains_clock(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut from = 0;
    while let Some(p) = memchr::memchr(b':', b.get(from..).unwrap_or(&[])) {
        let c = from + p;
        if c >= 2
            && d(c - 2)
            && d(c - 1)
            && d(c + 1)
            && d(c + 2)
            && b.get(c + 3) == Some(&b':')
            && d(c + 4)
            && d(c + 5)
        {
            return true;
        }
        from = c + 1;
    }
    false
}

/// True when the token is a time of day, an ISO timestamp, or a `short-unix` epoch.
fn is_time_token(t: &str) -> bool {
    if contains_clock(t) {
        return true;
    }
    // `-o short-unix`: 1700000000.123456
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    int.len() >= 9
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A syslog/journal tag: `kernel:`, `systemd-oomd[604]:`, `node-problem-detector-startup.sh[6018]:`.
fn tag_of(t: &str) -> Option<&str> {
    let body = t.strip_suffix(':')?;
    let name = match find_byte(body, b'[') {
        Some(i) => {
            let pid = body.get(i + 1..)?.strip_suffix(']')?;
            if !pid.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            body.get(..i)?
        }
        None => body,
    };
    if name.is_empty() || name.len() > 64 || name.contains(':') || name.starts_with('[') {
        return None;
    }
    Some(name)
}

/// journalctl/syslog header: up to 4 tokens before and including a time token, then an optional
/// host, then a tag ending in `:`. Returns the rest, the tag and the time (the tokens up to and
/// including the time token).
fn strip_syslog(s: &str) -> Option<(&str, &str, &str)> {
    // Only look at the head of the line: a header is short.
    let head = head(s, 160);
    // A header holds a clock `HH:MM:SS` early, or starts with a `short-unix` epoch.
    let epoch = head.bytes().take(10).filter(u8::is_ascii_digit).count() == 10;
    if !epoch && !head.starts_with('[') && !contains_clock(self::head(head, 48)) {
        return None;
    }
    let mut tokens = Tokens { s: head, pos: 0 };
    if head.starts_with('[') {
        // `-o short-monotonic`: `[ 1234.5678] host tag: …` — the host is mandatory here, so a
        // kernel message such as `[ 12.3] memory: usage …` is never taken for a tag.
        let (mut time_end, t) = tokens.next()?;
        let numeric = |x: &str| {
            let x = x.trim_start_matches('[').trim_end_matches(']');
            !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        };
        if !(t.ends_with(']') && numeric(t)) {
            let (end2, t2) = tokens.next()?;
            if !(t == "[" || numeric(t)) || !t2.ends_with(']') || !numeric(t2) {
                return None;
            }
            time_end = end2;
        }
        tokens.next()?; // host
        let (end, t) = tokens.next()?;
        let tag = tag_of(t)?;
        // journald prints `name[pid]:`, or `kernel:`: `[ 12.3] Call Trace:` is a kernel line.
        if !t.contains('[') && tag != "kernel" {
            return None;
        }
        let time = s
            .get(..time_end)?
            .trim_matches(|c: char| c == '[' || c == ']' || c == ' ');
        return Some((s.get(end..)?, tag, time));
    }
    let mut time_end = None;
    for _ in 0..5 {
        let (end, t) = tokens.next()?;
        if is_time_token(t) {
            time_end = Some(end);
            break;
        }
    }
    let time = s.get(..time_end?)?;
    for k in 0..2 {
        let (end, t) = tokens.next()?;
        if let Some(tag) = tag_of(t) {
            // Without a host, only `name[pid]:` or `kernel:` is a tag: a kernel message after a
            // bare time (`dmesg --time-format iso`) starts with words such as `oom_reaper:`.
            if k == 0 && !t.contains('[') && tag != "kernel" {
                return None;
            }
            return Some((s.get(end..)?, tag, time));
        }
    }
    None
}

/// The first `n` bytes of `s`, shortened to a char boundary.
pub fn head(s: &str, n: usize) -> &str {
    let mut i = n.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    s.get(..i).unwrap_or("")
}

/// Whitespace-separated tokens with the byte offset just past each.
struct Tokens<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let rest = self.s.get(self.pos..)?;
        let start = self.pos + span(rest, true);
        let len = span(self.s.get(start..)?, false);
        if len == 0 {
            return None;
        }
        self.pos = start + len;
        Some((self.pos, self.s.get(start..self.pos)?))
    }
}

/// 1-based number of the line holding byte `offset`, counting from `base_line` at `base_offset`.
pub fn line_number_at(text: &str, base_offset: usize, base_line: usize, offset: usize) -> usize {
    let slice = text.as_bytes().get(base_offset..offset).unwrap_or(&[]);
    base_line + memchr::memchr_iter(b'\n', slice).count()
}

/// The byte range of the line containing `offset` (without its terminator).
pub fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let start = memchr::memrchr(b'\n', bytes.get(..offset).unwrap_or(&[])).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', bytes.get(offset..).unwrap_or(&[]))
        .map_or(bytes.len(), |i| offset + i);
    (start, end)
}

/// Parses a leading unsigned decimal (after optional blanks); returns it and the rest.
pub fn leading_u64(s: &str) -> Option<(u64, &str)> {
    let t = s.trim_start();
    let end = t
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(t.len());
    if end == 0 {
        return None;
    }
    let v = t.get(..end)?.parse().ok()?;
    Some((v, t.get(end..)?))
}

/// Parses a leading signed decimal (after optional blanks); returns it and the rest.
pub fn leading_i64(s: &str) -> Option<(i64, &str)> {
    let t = s.trim_start();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let (v, rest) = leading_u64(digits).filter(|_| !digits.starts_with(char::is_whitespace))?;
    let v = i64::try_from(v).ok()?;
    Some((if neg { -v } else { v }, rest))
}

/// The value after `key` (e.g. `anon-rss:`) as a number followed by `kB`/`KB`, in kB. A number
/// without its unit is a line cut by a terminal or a title (`pgtables:1`): unknown, not read.
pub fn kb_after(s: &str, key: &str) -> Option<u64> {
    let i = s.find(key)?;
    let (v, rest) = leading_u64(s.get(i + key.len()..)?)?;
    let unit = rest.as_bytes();
    (unit.len() >= 2 && unit[0].eq_ignore_ascii_case(&b'k') && unit[1].eq_ignore_ascii_case(&b'b'))
        .then_some(v)
}

/// Converts kB to bytes, `None` on overflow.
pub fn kb_to_bytes(kb: u64) -> Option<i64> {
    i64::try_from(kb).ok()?.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_outermost_time_as_printed() {
        let cases: &[(&str, Option<&str>)] = &[
            ("[ 8341.856856] oom-kill:x", Some("8341.856856")),
            (
                "[Mon Dec  8 17:51:31 2025] Tasks state",
                Some("Mon Dec  8 17:51:31 2025"),
            ),
            (
                "Jun 24 18:49:43 aks-node kernel: [ 8341.868335] Tasks in /x",
                Some("Jun 24 18:49:43"),
            ),
            (
                "2024-01-02T03:04:05.123+00:00 host kernel: Killed process 2",
                Some("2024-01-02T03:04:05.123+00:00"),
            ),
            (
                "[ 1234.5678] host kernel: Killed process 2",
                Some("1234.5678"),
            ),
            ("6,23800,6780904484233,-;oom-kill:constraint", None),
            ("Killed process 2 (a)", None),
        ];
        for (line, time) in cases {
            assert_eq!(strip_prefixes(line).time, *time, "{line}");
        }
    }

    #[test]
    fn strips_every_prefix_kind() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("[ 8341.856856] oom-kill:x", "oom-kill:x", None),
            (
                "[Mon Dec  8 17:51:31 2025] Tasks state",
                "Tasks state",
                None,
            ),
            (
                "[月  1月 26 01:49:41 2026] Out of memory",
                "Out of memory",
                None,
            ),
            (
                "6,23800,6780904484233,-;oom-kill:constraint",
                "oom-kill:constraint",
                None,
            ),
            (
                "kern  :info  : [  1.0] Killed process 1",
                "Killed process 1",
                None,
            ),
            (
                "[   37.132710][ T9185] Tasks in /test1",
                "Tasks in /test1",
                None,
            ),
            (
                "Jun 24 18:49:43 aks-node kernel: [ 8341.868335] Tasks in /x",
                "Tasks in /x",
                Some("kernel"),
            ),
            (
                "Dec 14 17:13:12 kernel: Tasks state",
                "Tasks state",
                Some("kernel"),
            ),
            (
                "avril 16 21:08:50 systemd-oomd[93234]: Killed /a",
                "Killed /a",
                Some("systemd-oomd"),
            ),
            (
                "2024-01-02T03:04:05.123+00:00 host kernel: Killed process 2",
                "Killed process 2",
                Some("kernel"),
            ),
            (
                "1700000000.123456 host kernel: memory: usage 1kB",
                "memory: usage 1kB",
                Some("kernel"),
            ),
            ("<6>[  1.0] oom_reaper: reaped", "oom_reaper: reaped", None),
            ("plain message", "plain message", None),
            (
                "[ 2993.664150] memory: usage 4kB",
                "memory: usage 4kB",
                None,
            ),
            (
                "[Mon Dec  8 17:51:31 2025] memory: usage 4kB",
                "memory: usage 4kB",
                None,
            ),
            (
                "[ 1234.567890] host kernel: swap: usage 0kB",
                "swap: usage 0kB",
                Some("kernel"),
            ),
            (
                "Aug 30 06:58:55.050705 ip-10 kernel: oom-kill:a",
                "oom-kill:a",
                Some("kernel"),
            ),
            (
                "[<ffffffff8137ad47>] dump_stack+0x4d/0x63",
                "[<ffffffff8137ad47>] dump_stack+0x4d/0x63",
                None,
            ),
        ];
        for (line, message, tag) in cases {
            let s = strip_prefixes(line);
            assert_eq!(s.message, *message, "{line}");
            assert_eq!(s.tag, *tag, "{line}");
        }
    }

    #[test]
    fn numbers_are_one_based_and_crlf_is_removed() {
        let v: Vec<_> = numbered("a\r\nb\n\nc").collect();
        assert_eq!(v.len(), 4);
        assert_eq!(
            v[0],
            NumberedLine {
                number: 1,
                text: "a"
            }
        );
        assert_eq!(
            v[3],
            NumberedLine {
                number: 4,
                text: "c"
            }
        );
    }

    #[test]
    fn numbered_splits_as_str_lines() {
        for t in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\r",
            "a\r\n",
            "a\r\r\n",
            "\r\n\r\n",
            "a\nb",
            "a\n\rb\r",
            "é\r\nü\n\n",
            "\r",
            "x\r\ry",
        ] {
            let want: Vec<NumberedLine<'_>> = t
                .lines()
                .enumerate()
                .map(|(i, l)| NumberedLine {
                    number: i + 1,
                    text: l.strip_suffix('\r').unwrap_or(l),
                })
                .collect();
            assert_eq!(numbered(t).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    #[test]
    fn span_agrees_with_char_is_whitespace() {
        for t in [
            "",
            " ",
            "a b",
            " \t\u{b}\u{c}\r\nx",
            "\u{3000}月 1",
            "é é",
            "x\u{a0}y",
            "\u{85}a",
            "ab\u{2028}",
            "  \u{3000} z",
        ] {
            let blanks = t.len() - t.trim_start().len();
            assert_eq!(span(t, true), blanks, "{t:?}");
            let word = t.find(char::is_whitespace).unwrap_or(t.len());
            assert_eq!(span(t, false), word, "{t:?}");
        }
    }

    #[test]
    fn line_arithmetic() {
        let t = "ab\ncd\nef";
        assert_eq!(line_number_at(t, 0, 1, 4), 2);
        assert_eq!(line_bounds(t, 4), (3, 5));
        assert_eq!(line_bounds(t, 7), (6, 8));
        assert_eq!(leading_i64(" -998 x"), Some((-998, " x")));
        assert_eq!(leading_i64("- 5"), None);
        assert_eq!(kb_after("anon-rss:920kB, file", "anon-rss:"), Some(920));
        // Cut after the number (a wrapped or truncated line): the value is unknown.
        assert_eq!(kb_after("UID:0 pgtables:1", "pgtables:"), None);
        assert_eq!(kb_after("usage 524288KB, limit", "usage "), Some(524288));
        assert_eq!(kb_to_bytes(18014398509481983), None);
    }
}
