//! When a request to the forge is tried again, and after how long: the [`RetryPolicy`] from the
//! settings, the [`Backoff`] that paces attempts, and [`decide`], the one decision every request
//! goes through.
//!
//! Everything here is pure except [`Backoff::next_pause`], which reads the clock for callers that
//! pace their own attempts (the publish step). Nothing here sleeps, sends a request or builds an
//! error sentence: the client does that with what [`decide`] answers.
//!
//! The rules, in one place:
//! - An answer that is not a failure GitHub may recover from is taken as it is ([`Decision::Accept`]).
//! - A rate limit is waited out for every method, since GitHub did not carry the request out: a
//!   primary limit (`x-ratelimit-remaining: 0`) until `x-ratelimit-reset`, a secondary limit
//!   (`Retry-After`, or a 403 saying "rate limit") for `Retry-After` seconds or the next backoff
//!   pause. A wait that would pass the request's time budget gives up at once.
//! - A request that never left (the connection could not be made) is tried again, whatever its
//!   method: nothing reached GitHub.
//! - A request that left but got no answer (reset, closed, timed out), or got a 500/502/503/504,
//!   is tried again after a backoff pause when its method is `GET`, `PATCH` or `DELETE`, which
//!   relcut only sends in forms that may be repeated. A `POST` is never repeated then: GitHub may
//!   have carried it out, so it is [`Decision::InDoubt`] and the caller looks before it tries again.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use http::{HeaderMap, Method};

use crate::config::{DEFAULT_FIRST_PAUSE, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_SECONDS};

/// How often and for how long one request to the forge is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first included; 1 turns retries off.
    /// `[github] max_attempts` in `relcut.toml`.
    pub max_attempts: u32,
    /// The time budget of one request, its attempts and the pauses between them: a pause or a
    /// rate-limit wait that would pass it gives up instead. `[github] retry_seconds`.
    pub max_elapsed: Duration,
    /// The pause before the second attempt; each later pause doubles it. A random 5–50 % is
    /// added to every pause, so that clients that failed together do not retry together.
    pub first_pause: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            max_elapsed: Duration::from_secs(DEFAULT_RETRY_SECONDS),
            first_pause: DEFAULT_FIRST_PAUSE,
        }
    }
}

impl RetryPolicy {
    /// The pauses between the attempts of one operation, counted from now. The client paces
    /// every request with one; the publish step uses one to pace its own attempts (look up, then
    /// create again) after a request that was [`Decision::InDoubt`].
    pub fn pauses(&self) -> Backoff {
        Backoff::with_seed(*self, random_seed())
    }
}

/// The pauses between the attempts of one operation: the policy's first pause, doubling, each
/// with jitter, until the attempts or the time budget are used up.
#[derive(Debug, Clone)]
pub struct Backoff {
    policy: RetryPolicy,
    /// Pauses handed out so far (backoff pauses and rate-limit waits alike).
    pauses: u32,
    /// Backoff pauses handed out so far: the exponent of the doubling.
    doublings: u32,
    /// The state of the jitter's generator (splitmix64).
    jitter: u64,
    started: Instant,
}

/// Why a request is given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    /// It was sent `max_attempts` times.
    AttemptsUsed,
    /// The next pause would pass the time budget.
    OutOfTime {
        /// The pause that did not fit.
        pause: Duration,
    },
    /// A rate limit asks for a wait that passes the time budget, or no attempt is left.
    RateLimited {
        /// The limit GitHub reported.
        limit: RateLimit,
        /// How long it asks to wait, from now.
        wait: Duration,
    },
}

impl Backoff {
    /// A backoff whose jitter comes from `seed` (tests pass a fixed one).
    pub fn with_seed(policy: RetryPolicy, seed: u64) -> Backoff {
        Backoff {
            policy,
            pauses: 0,
            doublings: 0,
            jitter: seed,
            started: Instant::now(),
        }
    }

    /// The pause before the next attempt, or `None` when no attempt is left or the pause would
    /// pass the time budget (counted from [`RetryPolicy::pauses`]). Each call counts one attempt.
    pub fn next_pause(&mut self) -> Option<Duration> {
        let elapsed = self.started.elapsed();
        self.next_pause_after(elapsed).ok()
    }

    /// How many attempts the pauses handed out so far allow: one more than the pauses.
    pub fn attempts(&self) -> u32 {
        self.pauses + 1
    }

    /// The policy being followed.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// [`Backoff::next_pause`] with the time spent so far passed in, and why when there is none.
    pub fn next_pause_after(&mut self, elapsed: Duration) -> Result<Duration, GiveUp> {
        if self.attempts() >= self.policy.max_attempts.max(1) {
            return Err(GiveUp::AttemptsUsed);
        }
        let factor = 1u32.checked_shl(self.doublings).unwrap_or(u32::MAX);
        let base = self.policy.first_pause.saturating_mul(factor);
        let pause = base.mul_f64(1.0 + self.jitter_fraction());
        if elapsed.saturating_add(pause) > self.policy.max_elapsed {
            return Err(GiveUp::OutOfTime { pause });
        }
        self.pauses += 1;
        self.doublings += 1;
        Ok(pause)
    }

    /// Counts a wait GitHub asked for (a rate limit) as a pause, when an attempt is left and the
    /// wait fits in the time budget.
    fn wait(&mut self, limit: RateLimit, wait: Duration, elapsed: Duration) -> Decision {
        if self.attempts() >= self.policy.max_attempts.max(1)
            || elapsed.saturating_add(wait) > self.policy.max_elapsed
        {
            return Decision::GiveUp(GiveUp::RateLimited { limit, wait });
        }
        self.pauses += 1;
        Decision::Retry(wait)
    }

    /// The share of a pause added as jitter: 5 % to 50 %.
    fn jitter_fraction(&mut self) -> f64 {
        self.jitter = self.jitter.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.jitter;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^= mixed >> 31;
        let unit = (mixed >> 11) as f64 / (1u64 << 53) as f64;
        0.05 + 0.45 * unit
    }
}

/// A seed that differs between runs and processes: std's randomly keyed hasher over nothing.
/// Jitter only spreads retries out; it needs no cryptographic randomness.
fn random_seed() -> u64 {
    RandomState::new().build_hasher().finish()
}

/// What one attempt of a request came to, as [`decide`] sees it.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The request never left: the connection could not be made.
    NotSent,
    /// The request left but no whole answer came back: the connection was reset or closed, or
    /// the time for one attempt ran out.
    NoAnswer,
    /// GitHub answered.
    Answered {
        /// The status code.
        status: u16,
        /// The answer's headers (the rate-limit ones are read).
        headers: &'a HeaderMap,
        /// GitHub's `message`, or the body when it is not GitHub's error JSON.
        message: &'a str,
    },
}

/// A rate limit GitHub reported: it did not carry the request out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// The primary limit: no request is left until `x-ratelimit-reset`.
    Primary {
        /// When it resets, in seconds since the Unix epoch.
        reset_at: u64,
    },
    /// A secondary limit (too many requests too fast).
    Secondary {
        /// How long GitHub asked to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
    },
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Take the answer as it is: a success, or an error no retry changes.
    Accept,
    /// Send the request again after this pause.
    Retry(Duration),
    /// A `POST` that may or may not have been carried out: do not repeat it blindly.
    InDoubt,
    /// Stop trying; the last outcome is the error.
    GiveUp(GiveUp),
}

/// The rate limit an answer reports, if any. `Retry-After` comes first, as GitHub documents;
/// then `x-ratelimit-remaining: 0`; then a 429, or a 403 whose message speaks of a rate limit.
pub fn rate_limit(status: u16, headers: &HeaderMap, message: &str) -> Option<RateLimit> {
    if !matches!(status, 403 | 429) {
        return None;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    if let Some(seconds) = header("retry-after").and_then(|value| value.parse::<u64>().ok()) {
        return Some(RateLimit::Secondary {
            retry_after: Some(Duration::from_secs(seconds)),
        });
    }
    if header("x-ratelimit-remaining") == Some("0")
        && let Some(reset_at) = header("x-ratelimit-reset").and_then(|value| value.parse().ok())
    {
        return Some(RateLimit::Primary { reset_at });
    }
    if status == 429 || message.to_ascii_lowercase().contains("rate limit") {
        return Some(RateLimit::Secondary { retry_after: None });
    }
    None
}

/// What to do after an attempt of a `method` request that came to `outcome`, `elapsed` after
/// its first attempt started, at `now` (since the Unix epoch, for a primary limit's reset).
/// A retry is counted in `backoff`.
pub fn decide(
    method: &Method,
    outcome: &Outcome<'_>,
    backoff: &mut Backoff,
    elapsed: Duration,
    now: Duration,
) -> Decision {
    let repeatable = matches!(*method, Method::GET | Method::PATCH | Method::DELETE);
    let backoff_pause = |backoff: &mut Backoff| match backoff.next_pause_after(elapsed) {
        Ok(pause) => Decision::Retry(pause),
        Err(reason) => Decision::GiveUp(reason),
    };
    match *outcome {
        Outcome::NotSent => backoff_pause(backoff),
        Outcome::NoAnswer if repeatable => backoff_pause(backoff),
        Outcome::NoAnswer => Decision::InDoubt,
        Outcome::Answered {
            status,
            headers,
            message,
        } => {
            if let Some(limit) = rate_limit(status, headers, message) {
                let asked = match limit {
                    RateLimit::Primary { reset_at } => {
                        Some(Duration::from_secs(reset_at).saturating_sub(now))
                            .filter(|wait| !wait.is_zero())
                    }
                    RateLimit::Secondary { retry_after } => retry_after,
                };
                return match asked {
                    Some(wait) => backoff.wait(limit, wait, elapsed),
                    // A reset already past (clocks differ) or no time given: a backoff pause,
                    // so that repeated limits still slow down.
                    None => match backoff.next_pause_after(elapsed) {
                        Ok(pause) => Decision::Retry(pause),
                        Err(GiveUp::OutOfTime { pause }) => {
                            Decision::GiveUp(GiveUp::RateLimited { limit, wait: pause })
                        }
                        Err(_) => Decision::GiveUp(GiveUp::RateLimited {
                            limit,
                            wait: Duration::ZERO,
                        }),
                    },
                };
            }
            match status {
                500 | 502 | 503 | 504 if repeatable => backoff_pause(backoff),
                500..=599 if *method == Method::POST => Decision::InDoubt,
                _ => Decision::Accept,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const SECOND: Duration = Duration::from_secs(1);

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            first_pause: SECOND,
        }
    }

    #[test]
    fn the_default_policy_is_five_attempts_in_two_minutes() {
        assert_eq!(
            RetryPolicy::default(),
            RetryPolicy {
                max_attempts: 5,
                max_elapsed: Duration::from_secs(120),
                first_pause: SECOND,
            }
        );
    }

    #[test]
    fn pauses_double_with_five_to_fifty_percent_of_jitter() {
        for seed in [0, 1, 42, u64::MAX, 0xDEAD_BEEF] {
            let mut backoff = Backoff::with_seed(policy(), seed);
            let mut bases = Vec::new();
            while let Ok(pause) = backoff.next_pause_after(Duration::ZERO) {
                bases.push(pause);
            }
            assert_eq!(bases.len(), 4, "five attempts, four pauses");
            for (index, pause) in bases.iter().enumerate() {
                let base = SECOND * (1 << index);
                assert!(
                    *pause >= base.mul_f64(1.05) && *pause <= base.mul_f64(1.5),
                    "seed {seed}: pause {index} is {pause:?}"
                );
            }
            assert_eq!(backoff.attempts(), 5);
            assert_eq!(
                backoff.next_pause_after(Duration::ZERO),
                Err(GiveUp::AttemptsUsed)
            );
        }
        // Two backoffs from different seeds do not pause alike.
        let mut first = Backoff::with_seed(policy(), 1);
        let mut second = Backoff::with_seed(policy(), 2);
        assert_ne!(first.next_pause(), second.next_pause());
    }

    #[test]
    fn the_budget_and_the_attempts_bound_the_pauses() {
        // (max_attempts, max_elapsed seconds, elapsed seconds, expected)
        type Row = (u32, u64, u64, std::result::Result<(), &'static str>);
        let rows: &[Row] = &[
            (5, 120, 0, Ok(())),
            (5, 120, 118, Ok(())),
            (5, 120, 119, Err("out of time")),
            (1, 120, 0, Err("attempts")),
            (0, 120, 0, Err("attempts")),
            (5, 0, 0, Err("out of time")),
        ];
        for (max_attempts, max_elapsed, elapsed, expected) in rows {
            let policy = RetryPolicy {
                max_attempts: *max_attempts,
                max_elapsed: Duration::from_secs(*max_elapsed),
                first_pause: SECOND,
            };
            let mut backoff = Backoff::with_seed(policy, 7);
            // The first pause is at most 1.5 s.
            let found = backoff.next_pause_after(Duration::from_secs(*elapsed));
            let found = match found {
                Ok(_) => Ok(()),
                Err(GiveUp::AttemptsUsed) => Err("attempts"),
                Err(GiveUp::OutOfTime { .. }) => Err("out of time"),
                Err(GiveUp::RateLimited { .. }) => Err("rate limited"),
            };
            assert_eq!(found, *expected, "{max_attempts} {max_elapsed} {elapsed}");
        }
    }

    #[derive(Debug, PartialEq)]
    enum Expected {
        Accept,
        /// A backoff pause of about this many seconds (before jitter).
        Backoff(u64),
        /// Exactly this wait.
        Wait(Duration),
        InDoubt,
        AttemptsUsed,
        OutOfTime,
        Limited,
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn what_is_retried_and_after_how_long() {
        const NOW: u64 = 1_700_000_000;
        let none: &[(&str, &str)] = &[];
        let primary_soon: &[(&str, &str)] = &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000030"),
        ];
        let primary_past: &[(&str, &str)] = &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1699999990"),
        ];
        let primary_late: &[(&str, &str)] = &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700003600"),
        ];
        let not_used_up: &[(&str, &str)] = &[
            ("x-ratelimit-remaining", "12"),
            ("x-ratelimit-reset", "1700000030"),
        ];
        let retry_after: &[(&str, &str)] = &[("retry-after", "3")];
        let retry_after_long: &[(&str, &str)] = &[("retry-after", "600")];
        // (method, outcome: None = no answer, Some(0) = not sent, status; headers, message,
        //  attempts already made, elapsed seconds, expected)
        type Row<'r> = (
            Method,
            Option<u16>,
            &'r [(&'static str, &'r str)],
            &'r str,
            u32,
            u64,
            Expected,
        );
        let secondary = "You have exceeded a secondary rate limit. Please wait a few minutes.";
        let rows: Vec<Row> = vec![
            // Answers that stand.
            (Method::GET, Some(200), none, "", 1, 0, Expected::Accept),
            (Method::POST, Some(201), none, "", 1, 0, Expected::Accept),
            (
                Method::GET,
                Some(404),
                none,
                "Not Found",
                1,
                0,
                Expected::Accept,
            ),
            (
                Method::GET,
                Some(401),
                none,
                "Bad credentials",
                1,
                0,
                Expected::Accept,
            ),
            (
                Method::POST,
                Some(422),
                none,
                "Validation Failed",
                1,
                0,
                Expected::Accept,
            ),
            (
                Method::GET,
                Some(403),
                none,
                "Resource not accessible",
                1,
                0,
                Expected::Accept,
            ),
            (
                Method::GET,
                Some(403),
                not_used_up,
                "Forbidden",
                1,
                0,
                Expected::Accept,
            ),
            (Method::GET, Some(501), none, "", 1, 0, Expected::Accept),
            // Server errors: repeated for GET, PATCH, DELETE; a POST is in doubt.
            (Method::GET, Some(502), none, "", 1, 0, Expected::Backoff(1)),
            (Method::GET, Some(500), none, "", 2, 0, Expected::Backoff(2)),
            (
                Method::PATCH,
                Some(503),
                none,
                "",
                3,
                0,
                Expected::Backoff(4),
            ),
            (
                Method::DELETE,
                Some(504),
                none,
                "",
                4,
                0,
                Expected::Backoff(8),
            ),
            (
                Method::GET,
                Some(502),
                none,
                "",
                5,
                0,
                Expected::AttemptsUsed,
            ),
            (
                Method::GET,
                Some(502),
                none,
                "",
                1,
                119,
                Expected::OutOfTime,
            ),
            (Method::POST, Some(500), none, "", 1, 0, Expected::InDoubt),
            (Method::POST, Some(502), none, "", 1, 0, Expected::InDoubt),
            (Method::POST, Some(501), none, "", 1, 0, Expected::InDoubt),
            // No answer: the same; never sent: repeated whatever the method.
            (Method::GET, None, none, "", 1, 0, Expected::Backoff(1)),
            (Method::DELETE, None, none, "", 2, 0, Expected::Backoff(2)),
            (Method::POST, None, none, "", 1, 0, Expected::InDoubt),
            (Method::POST, Some(0), none, "", 1, 0, Expected::Backoff(1)),
            (Method::GET, Some(0), none, "", 5, 0, Expected::AttemptsUsed),
            // Primary rate limit: until the reset, for every method.
            (
                Method::GET,
                Some(403),
                primary_soon,
                "API rate limit exceeded",
                1,
                0,
                Expected::Wait(Duration::from_secs(30)),
            ),
            (
                Method::POST,
                Some(429),
                primary_soon,
                "",
                1,
                0,
                Expected::Wait(Duration::from_secs(30)),
            ),
            (
                Method::POST,
                Some(403),
                primary_past,
                "",
                1,
                0,
                Expected::Backoff(1),
            ),
            (
                Method::GET,
                Some(403),
                primary_late,
                "",
                1,
                0,
                Expected::Limited,
            ),
            (
                Method::GET,
                Some(403),
                primary_soon,
                "",
                5,
                0,
                Expected::Limited,
            ),
            (
                Method::GET,
                Some(403),
                primary_soon,
                "",
                1,
                100,
                Expected::Limited,
            ),
            // Secondary rate limit: Retry-After, else a backoff pause.
            (
                Method::POST,
                Some(403),
                retry_after,
                secondary,
                1,
                0,
                Expected::Wait(Duration::from_secs(3)),
            ),
            (
                Method::GET,
                Some(429),
                retry_after,
                "",
                1,
                0,
                Expected::Wait(Duration::from_secs(3)),
            ),
            (
                Method::POST,
                Some(403),
                retry_after_long,
                secondary,
                1,
                0,
                Expected::Limited,
            ),
            (
                Method::POST,
                Some(403),
                none,
                secondary,
                1,
                0,
                Expected::Backoff(1),
            ),
            (Method::GET, Some(429), none, "", 2, 0, Expected::Backoff(2)),
            (
                Method::POST,
                Some(403),
                none,
                secondary,
                5,
                0,
                Expected::Limited,
            ),
            // Retry-After only means a limit on 403 and 429.
            (
                Method::GET,
                Some(404),
                retry_after,
                "",
                1,
                0,
                Expected::Accept,
            ),
        ];
        for (method, status, pairs, message, attempts, elapsed, expected) in rows {
            let map = headers(pairs);
            let outcome = match status {
                None => Outcome::NoAnswer,
                Some(0) => Outcome::NotSent,
                Some(status) => Outcome::Answered {
                    status,
                    headers: &map,
                    message,
                },
            };
            let mut backoff = Backoff::with_seed(policy(), 3);
            for _ in 1..attempts {
                backoff.pauses += 1;
                backoff.doublings += 1;
            }
            let decision = decide(
                &method,
                &outcome,
                &mut backoff,
                Duration::from_secs(elapsed),
                Duration::from_secs(NOW),
            );
            let found = match decision {
                Decision::Accept => Expected::Accept,
                Decision::InDoubt => Expected::InDoubt,
                Decision::Retry(pause) if expected == Expected::Wait(pause) => {
                    Expected::Wait(pause)
                }
                Decision::Retry(pause) => {
                    let Expected::Backoff(seconds) = expected else {
                        panic!(
                            "{method} {status:?} {pairs:?}: a retry after {pause:?}, not {expected:?}"
                        );
                    };
                    let base = Duration::from_secs(seconds);
                    assert!(
                        pause >= base.mul_f64(1.05) && pause <= base.mul_f64(1.5),
                        "{method} {status:?}: {pause:?} is not about {base:?}"
                    );
                    Expected::Backoff(seconds)
                }
                Decision::GiveUp(GiveUp::AttemptsUsed) => Expected::AttemptsUsed,
                Decision::GiveUp(GiveUp::OutOfTime { .. }) => Expected::OutOfTime,
                Decision::GiveUp(GiveUp::RateLimited { .. }) => Expected::Limited,
            };
            assert_eq!(
                found, expected,
                "{method} {status:?} {pairs:?} {message:?} attempt {attempts} at {elapsed}s"
            );
        }
    }

    #[test]
    fn rate_limits_are_read_from_the_headers_and_the_message() {
        // (status, headers, message, the limit)
        type Row<'r> = (
            u16,
            &'r [(&'static str, &'r str)],
            &'r str,
            Option<RateLimit>,
        );
        let rows: &[Row] = &[
            (
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "99")],
                "",
                Some(RateLimit::Primary { reset_at: 99 }),
            ),
            (
                429,
                &[
                    ("retry-after", "60"),
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "99"),
                ],
                "",
                Some(RateLimit::Secondary {
                    retry_after: Some(Duration::from_secs(60)),
                }),
            ),
            (
                403,
                &[],
                "You have exceeded a Secondary Rate Limit",
                Some(RateLimit::Secondary { retry_after: None }),
            ),
            (
                429,
                &[],
                "",
                Some(RateLimit::Secondary { retry_after: None }),
            ),
            (
                403,
                &[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "soon"),
                ],
                "",
                None,
            ),
            (
                403,
                &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
                "",
                None,
            ),
            (403, &[], "Resource not accessible by integration", None),
            (500, &[("retry-after", "5")], "rate limit", None),
        ];
        for (status, pairs, message, expected) in rows {
            assert_eq!(
                rate_limit(*status, &headers(pairs), message),
                *expected,
                "{status} {pairs:?} {message}"
            );
        }
    }
}
