//! CPython's `random` module, as far as the demos draw from it: the Mersenne
//! Twister (MT19937) seeded as `random.seed(n)` seeds it, and `randint`
//! computed as CPython computes it, through `getrandbits`.

const N: usize = 624;
const M: usize = 397;

pub struct Random {
    state: [u32; N],
    index: usize,
}

impl Random {
    /// `random.seed(n)` for an int `n`: the key is `abs(n)` in 32-bit words,
    /// least significant first, fed to `init_by_array`.
    pub fn seed(n: i128) -> Random {
        let mut magnitude = n.unsigned_abs();
        let mut key = Vec::new();
        while magnitude > 0 {
            key.push(magnitude as u32);
            magnitude >>= 32;
        }
        if key.is_empty() {
            key.push(0);
        }
        let mut random = Random { state: [0; N], index: N };
        random.init_by_array(&key);
        random
    }

    fn init_genrand(&mut self, seed: u32) {
        self.state[0] = seed;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
        }
        self.state[0] = 0x8000_0000;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.state[k] & 0x8000_0000) | (self.state[(k + 1) % N] & 0x7fff_ffff);
                let mut next = self.state[(k + M) % N] ^ (y >> 1);
                if y & 1 != 0 {
                    next ^= 0x9908_b0df;
                }
                self.state[k] = next;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random.getrandbits(k)` for `k` up to 64.
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        match k {
            0 => 0,
            1..=32 => u64::from(self.next_u32() >> (32 - k)),
            _ => {
                // Words fill from the least significant end, as CPython does.
                let low = u64::from(self.next_u32());
                let high = u64::from(self.next_u32() >> (64 - k.min(64)));
                low | (high << 32)
            }
        }
    }

    /// `random.randrange(n)` via `_randbelow_with_getrandbits`.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }

    /// `random.randint(a, b)`: `a + randrange(b - a + 1)`.
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        let span = (b - a + 1).max(1) as u64;
        a + self.below(span) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What CPython 3.11 gives for `random.seed(s); [random.randint(1, 3) for _ in range(12)]`,
    /// then `random.getrandbits(32)`.
    #[test]
    fn matches_cpython() {
        for (seed, draws, bits) in [
            (0i128, [2, 2, 1, 2, 3, 2, 2, 2, 2, 2, 3, 1], 2_167_613_558u64),
            (1, [1, 3, 1, 2, 1, 2, 2, 2, 3, 2, 1, 1], 2_095_328_386),
            (42, [3, 1, 1, 3, 2, 1, 1, 1, 3, 1, 3, 3], 3_831_882_064),
            ((1 << 40) + 5, [3, 3, 2, 3, 1, 3, 1, 1, 1, 1, 1, 3], 2_949_429_290),
            (-7, [2, 1, 2, 3, 1, 1, 3, 1, 2, 3, 1, 3], 922_121_676),
        ] {
            let mut random = Random::seed(seed);
            let got: Vec<i64> = (0..12).map(|_| random.randint(1, 3)).collect();
            assert_eq!(got, draws, "seed {seed}");
            assert_eq!(random.getrandbits(32), bits, "seed {seed}");
        }
    }
}
