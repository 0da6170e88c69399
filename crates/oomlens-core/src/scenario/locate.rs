//! Locating a field path (`pods[2].spec.containers[0].resources`) in the scenario's source text,
//! best effort, so that an error names the line it is about.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

/// Splits `pods[2].spec.containers[0].resources` into segments. Keys containing dots (such as
/// `memory.available`) come out split; the locator rejoins them when a split part is not found.
pub(super) fn split_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                out.push(Seg::Key(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                match stripped.find(']') {
                    Some(e) => {
                        let inner = &stripped[..e];
                        match inner.parse::<usize>() {
                            Ok(i) => out.push(Seg::Index(i)),
                            Err(_) => out.push(Seg::Key(inner.trim_matches('"').to_string())),
                        }
                        rest = &stripped[e + 1..];
                    }
                    None => break,
                }
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

pub(super) struct Line<'a> {
    pub(super) indent: usize,
    pub(super) text: &'a str,
}

pub(super) fn key_at_start(text: &str, key: &str) -> bool {
    for q in ["", "\"", "'"] {
        if let Some(rest) = text
            .strip_prefix(q)
            .and_then(|t| t.strip_prefix(key))
            .and_then(|t| t.strip_prefix(q))
        {
            if rest.trim_start().starts_with(':') {
                return true;
            }
        }
    }
    false
}

/// Best-effort 1-based line of `path` in a block-style YAML (or pretty JSON) text.
pub fn locate_line(text: &str, path: &str) -> Option<usize> {
    let segs = split_path(path);
    if segs.is_empty() {
        return None;
    }
    let lines: Vec<Line> = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            Line {
                indent: l.len() - t.len(),
                text: t,
            }
        })
        .collect();
    // Current block: lines [lo, hi) whose entries sit at an indent > parent.
    let (mut lo, mut hi) = (0usize, lines.len());
    let mut parent: isize = -1;
    let mut found: Option<usize> = None;
    // When a sequence item was entered, the first line's content after "- " belongs to the item.
    let mut item_first: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < segs.len() {
        match &segs[i] {
            Seg::Key(k) => {
                let mut key = k.clone();
                let mut hit;
                // Try the key, then the key joined with following key segments (dotted keys).
                let mut j = i;
                loop {
                    hit = find_key(&lines, lo, hi, parent, &key, item_first);
                    if hit.is_some() {
                        break;
                    }
                    match segs.get(j + 1) {
                        Some(Seg::Key(next)) => {
                            key = format!("{key}.{next}");
                            j += 1;
                        }
                        _ => break,
                    }
                }
                let (ln, ind) = match hit {
                    Some(h) => h,
                    None => return found.map(|f| f + 1),
                };
                i = j;
                found = Some(ln);
                parent = ind as isize;
                lo = ln + 1;
                hi = block_end(&lines, lo, ind);
                item_first = None;
                // Inline value on the same line (flow style): the rest of the path is on this line.
                let after = lines[ln]
                    .text
                    .split_once(':')
                    .map(|x| x.1.trim())
                    .unwrap_or("");
                if after.starts_with('{') || after.starts_with('[') {
                    return Some(ln + 1);
                }
            }
            Seg::Index(n) => {
                // Items: lines starting with "-" at the smallest such indent in the block.
                let dash_indent = (lo..hi)
                    .filter(|&l| {
                        lines[l].text.starts_with('-') && lines[l].indent as isize > parent - 1
                    })
                    .map(|l| lines[l].indent)
                    .min()?;
                let items: Vec<usize> = (lo..hi)
                    .filter(|&l| lines[l].indent == dash_indent && lines[l].text.starts_with('-'))
                    .collect();
                let ln = *items.get(*n)?;
                found = Some(ln);
                let end = items
                    .iter()
                    .find(|&&x| x > ln)
                    .copied()
                    .unwrap_or_else(|| block_end(&lines, ln + 1, dash_indent));
                lo = ln;
                hi = end;
                parent = dash_indent as isize;
                item_first = Some((ln, dash_indent + 2));
            }
        }
        i += 1;
    }
    found.map(|f| f + 1)
}

pub(super) fn find_key(
    lines: &[Line],
    lo: usize,
    hi: usize,
    parent: isize,
    key: &str,
    item_first: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (l, line) in lines.iter().enumerate().take(hi).skip(lo) {
        let (indent, text) = match item_first {
            Some((first, ind)) if first == l => {
                (ind, line.text.trim_start_matches('-').trim_start())
            }
            _ => (line.indent, line.text),
        };
        if indent as isize <= parent {
            continue;
        }
        if key_at_start(text, key) {
            match best {
                Some((_, bi)) if bi <= indent => {}
                _ => best = Some((l, indent)),
            }
        }
    }
    best
}

pub(super) fn block_end(lines: &[Line], from: usize, indent: usize) -> usize {
    (from..lines.len())
        .find(|&l| {
            let t = lines[l].text;
            !t.is_empty()
                && !t.starts_with('#')
                && (lines[l].indent < indent || (lines[l].indent == indent && !t.starts_with('-')))
        })
        .unwrap_or(lines.len())
}
