//! The messages between the page and a worker, as short tab-separated texts.
//! Both sides decode what they receive and turn anything unexpected into an
//! error message rather than a panic.

use super::job::Job;

#[derive(Debug, Clone, PartialEq)]
pub enum ToWorker {
    Run { id: u32, job: Job },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FromWorker {
    /// Sent once the worker's wasm is running; `scope` is the global scope's
    /// constructor name, `DedicatedWorkerGlobalScope` in a real worker.
    Ready {
        scope: String,
    },
    Done {
        id: u32,
        value: u64,
        elapsed_ms: f64,
    },
    Failed {
        id: u32,
        message: String,
    },
}

impl ToWorker {
    pub fn encode(&self) -> String {
        match self {
            ToWorker::Run {
                id,
                job: Job::CountPrimes { below },
            } => format!("run\t{id}\tcount_primes\t{below}"),
        }
    }

    pub fn decode(text: &str) -> Result<ToWorker, String> {
        let fields: Vec<&str> = text.split('\t').collect();
        match fields.as_slice() {
            ["run", id, "count_primes", below] => Ok(ToWorker::Run {
                id: number(id, "job id")?,
                job: Job::CountPrimes {
                    below: number(below, "prime limit")?,
                },
            }),
            _ => Err(format!(
                "the worker got a message it does not understand: {}",
                preview(text)
            )),
        }
    }
}

impl FromWorker {
    pub fn encode(&self) -> String {
        match self {
            FromWorker::Ready { scope } => format!("ready\t{}", clean(scope)),
            FromWorker::Done {
                id,
                value,
                elapsed_ms,
            } => format!("done\t{id}\t{value}\t{elapsed_ms}"),
            FromWorker::Failed { id, message } => format!("failed\t{id}\t{}", clean(message)),
        }
    }

    pub fn decode(text: &str) -> Result<FromWorker, String> {
        let fields: Vec<&str> = text.splitn(4, '\t').collect();
        match fields.as_slice() {
            ["ready", scope] => Ok(FromWorker::Ready {
                scope: (*scope).to_owned(),
            }),
            ["done", id, value, elapsed] => Ok(FromWorker::Done {
                id: number(id, "job id")?,
                value: number(value, "result")?,
                elapsed_ms: number(elapsed, "elapsed time")?,
            }),
            ["failed", id, message] => Ok(FromWorker::Failed {
                id: number(id, "job id")?,
                message: (*message).to_owned(),
            }),
            _ => Err(format!(
                "the page got a message it does not understand from a worker: {}",
                preview(text)
            )),
        }
    }
}

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.parse().map_err(|_| {
        format!(
            "the {what} {:?} in a worker message is not a number",
            preview(text)
        )
    })
}

/// Tabs and newlines would split a field; a message keeps them as spaces.
fn clean(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

fn preview(text: &str) -> String {
    let mut short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_a_round_trip() {
        let to = ToWorker::Run {
            id: 7,
            job: Job::CountPrimes { below: 2_000_000 },
        };
        assert_eq!(ToWorker::decode(&to.encode()), Ok(to));
        for from in [
            FromWorker::Ready {
                scope: "DedicatedWorkerGlobalScope".into(),
            },
            FromWorker::Done {
                id: 7,
                value: 148_933,
                elapsed_ms: 312.25,
            },
            FromWorker::Failed {
                id: 7,
                message: "panicked at\tsrc/x.rs\nline 3".into(),
            },
        ] {
            let back = FromWorker::decode(&from.encode()).expect("decodes");
            match (&from, &back) {
                (FromWorker::Failed { message, .. }, FromWorker::Failed { message: got, .. }) => {
                    assert_eq!(got, &message.replace(['\t', '\n'], " "))
                }
                _ => assert_eq!(back, from),
            }
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "",
            "run",
            "run\tx\tcount_primes\t5",
            "run\t1\tcount_primes\t-1",
            "run\t1\tfork_bomb\t1",
        ] {
            assert!(ToWorker::decode(text).is_err(), "{text:?}");
        }
        for text in ["", "done\t1\t2", "done\t1\tlots\t3.0", "hello"] {
            assert!(FromWorker::decode(text).is_err(), "{text:?}");
        }
    }
}
