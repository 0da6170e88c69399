//! A linear byte axis: maps bytes to pixels and picks round tick steps in binary units.

/// Maps `[0, max_bytes]` onto `[x0, x1]` pixels.
#[derive(Debug, Clone, Copy)]
pub struct ByteScale {
    /// Largest value on the axis.
    pub max_bytes: f64,
    /// Pixel of 0.
    pub x0: i32,
    /// Pixel of `max_bytes`.
    pub x1: i32,
}

impl ByteScale {
    /// The pixel for `bytes`, clamped to the axis.
    pub fn x(&self, bytes: i64) -> i32 {
        if self.max_bytes <= 0.0 {
            return self.x0;
        }
        let f = (bytes.max(0) as f64 / self.max_bytes).clamp(0.0, 1.0);
        self.x0 + (f * f64::from(self.x1 - self.x0)).round() as i32
    }

    /// Tick values: a round binary step (…, 256 MiB, 512 MiB, 1 GiB, 2 GiB, …) giving at most
    /// `max_ticks` intervals.
    pub fn ticks(&self, max_ticks: u32) -> Vec<i64> {
        if self.max_bytes <= 0.0 || max_ticks == 0 {
            return vec![0];
        }
        let raw = self.max_bytes / f64::from(max_ticks);
        let mut step: f64 = 1.0;
        while step < raw {
            step *= 2.0;
        }
        let mut out = Vec::new();
        let mut v = 0.0;
        while v <= self.max_bytes + 0.5 && out.len() < 64 {
            out.push(v as i64);
            v += step;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_clamps() {
        let s = ByteScale {
            max_bytes: 1000.0,
            x0: 100,
            x1: 600,
        };
        assert_eq!(s.x(0), 100);
        assert_eq!(s.x(500), 350);
        assert_eq!(s.x(1000), 600);
        assert_eq!(s.x(5000), 600);
        assert_eq!(s.x(-5), 100);
    }

    #[test]
    fn ticks_are_powers_of_two_steps() {
        let gib = 1i64 << 30;
        let s = ByteScale {
            max_bytes: 16.0 * gib as f64,
            x0: 0,
            x1: 100,
        };
        let t = s.ticks(8);
        assert_eq!(t, (0..=8).map(|i| i * 2 * gib).collect::<Vec<_>>());
        let s = ByteScale {
            max_bytes: 3.0 * gib as f64,
            x0: 0,
            x1: 100,
        };
        assert_eq!(s.ticks(6), (0..=6).map(|i| i * gib / 2).collect::<Vec<_>>());
    }
}
