//! CPython 3.11's traceback of an exception a program does not catch, as the
//! console prints it: the program's own frames as CPython prints them (file,
//! line, function, the statement and the carets under the part that raised),
//! and each run of frames in the standard library as one line that says how
//! many there were. Chained exceptions ("During handling of the above
//! exception…", "The above exception was the direct cause…") come first, as
//! CPython prints them.

use super::pyvalue::PyException;

/// One frame of a traceback.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// Line `line` (1-based) of the program, in `function`; carets under
    /// `underline`, the part of the statement that raised (CPython prints
    /// none where that part is the whole statement).
    Program { line: u32, function: &'static str, underline: Option<&'static str> },
    /// That many frames in the standard library, one after another.
    Library(usize),
}

/// How an exception follows the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Raised while the one before was being handled (`__context__`).
    DuringHandling,
    /// `raise ... from` the one before (`__cause__`).
    DirectCause,
}

impl Link {
    fn text(self) -> &'static str {
        match self {
            Link::DuringHandling => "During handling of the above exception, another exception occurred:",
            Link::DirectCause => "The above exception was the direct cause of the following exception:",
        }
    }
}

/// An exception with the frames it went through, and what it followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Traceback {
    pub frames: Vec<Frame>,
    /// The exception's line as CPython ends the traceback with it:
    /// `module.Type: message` (the message may hold line breaks).
    pub exception: String,
    pub after: Option<(Box<Traceback>, Link)>,
}

/// The program as a traceback names it, and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub code: &'a str,
}

impl Traceback {
    pub fn new(frames: Vec<Frame>, exception: String) -> Self {
        Traceback { frames, exception, after: None }
    }

    pub fn after(mut self, before: Traceback, link: Link) -> Self {
        self.after = Some((Box::new(before), link));
        self
    }

    /// The lines CPython writes, without the trailing spaces some of them
    /// carry (a message that ends in a line break of indentation ends in a
    /// line of spaces: it is left out).
    pub fn lines(&self, source: Source) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((before, link)) = &self.after {
            out.extend(before.lines(source));
            out.extend([String::new(), link.text().to_owned(), String::new()]);
        }
        // An exception that never passed through a frame (one made in
        // another process, re-raised as a cause) is its line alone.
        if !self.frames.is_empty() {
            out.push("Traceback (most recent call last):".to_owned());
        }
        for frame in &self.frames {
            match *frame {
                Frame::Program { line, function, underline } => {
                    out.push(format!("  File \"{}\", line {line}, in {function}", source.file));
                    let statement = source.code.lines().nth(line.saturating_sub(1) as usize).unwrap_or("").trim();
                    out.push(format!("    {statement}"));
                    if let Some(carets) = underline.and_then(|part| carets(statement, part)) {
                        out.push(format!("    {carets}"));
                    }
                }
                Frame::Library(0) => {}
                Frame::Library(1) => out.push("  [1 frame in the standard library]".to_owned()),
                Frame::Library(n) => out.push(format!("  [{n} frames in the standard library]")),
            }
        }
        let mut lines: Vec<String> = self.exception.split('\n').map(|l| l.trim_end().to_owned()).collect();
        if lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        out.extend(lines);
        out
    }
}

/// The carets under `part` of `statement`, none where `part` is the whole
/// statement or not in it.
fn carets(statement: &str, part: &str) -> Option<String> {
    let start = statement.find(part)?;
    if part.is_empty() || part == statement {
        return None;
    }
    let indent = statement[..start].chars().count();
    Some(format!("{}{}", " ".repeat(indent), "^".repeat(part.chars().count())))
}

/// `module.Type: message`, as a traceback's last line names an exception of
/// the modules the demos raise from.
pub fn exception_line(exception: &PyException) -> String {
    let module = match exception.type_name.as_str() {
        "URLError" | "HTTPError" => "urllib.error.",
        "BrokenProcessPool" => "concurrent.futures.process.",
        "gaierror" => "socket.",
        _ => "",
    };
    format!("{module}{}: {}", exception.type_name, exception.message)
}

/// The message of the `RuntimeError` that `multiprocessing` raises in a
/// spawned child that starts a process while it imports the main module
/// (`multiprocessing/spawn.py`, `_check_not_importing_main`, CPython 3.11).
pub const BOOTSTRAPPING_MESSAGE: &str = "
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The \"freeze_support()\" line can be omitted if the program
        is not going to be frozen to produce an executable.

        To fix this issue, refer to the \"Safe importing of main module\"
        section in https://docs.python.org/3/library/multiprocessing.html
        ";

/// The frames a spawned child goes through, from its start to the
/// statement of the main module that starts a pool's process, and on into
/// the check that refuses it (CPython 3.11.7): eight frames of the spawn
/// and of `runpy`, the program's, then thirteen frames from `executor.map`
/// or ten from `executor.submit` to `_check_not_importing_main`.
pub fn spawned_child_frames(program: Vec<Frame>, after_program: usize) -> Vec<Frame> {
    let mut frames = vec![Frame::Library(8)];
    frames.extend(program);
    frames.push(Frame::Library(after_program));
    frames
}

/// How `urllib.request.urlopen` raised `exception`, as CPython 3.11.7's
/// traceback shows it: the frames from `urlopen` to the `raise`, and the
/// exception it was handling, with that one's frames (from `do_open` into
/// `socket`). `None`: not an exception `urlopen` raises.
pub fn urlopen_raised(exception: &PyException) -> Option<(usize, Option<Traceback>)> {
    let message = exception.message.as_str();
    match exception.type_name.as_str() {
        "HTTPError" => Some((6, None)),
        "URLError" if message.contains("unknown url type") => Some((5, None)),
        "URLError" => {
            // `<urlopen error [Errno -2] Name or service not known>`: the
            // socket's error, wrapped.
            let inner = message.strip_prefix("<urlopen error ")?.strip_suffix('>')?;
            let type_name = if inner.starts_with("[Errno 111]") { "ConnectionRefusedError" } else { "socket.gaierror" };
            Some((6, Some(Traceback::new(vec![Frame::Library(9)], format!("{type_name}: {inner}")))))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "import concurrent.futures\n\
        def load_url(url, timeout):\n    with urllib.request.urlopen(url, timeout=timeout) as conn:\n        return conn.read()\n\
        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:\n    \
        for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):\n        pass";
    const SOURCE: Source = Source { file: "futures_example.py", code: CODE };

    fn url_error() -> PyException {
        PyException::new("URLError", "<urlopen error [Errno -2] Name or service not known>")
    }

    /// The shape of CPython's: the exception handled first, then the one
    /// raised, each run of library frames counted (the demo's tests hold
    /// CPython's whole text).
    #[test]
    fn a_chained_traceback_prints_the_handled_exception_first() {
        let exception = url_error();
        let (urllib, handling) = urlopen_raised(&exception).unwrap();
        let frames = vec![
            Frame::Program { line: 6, function: "<module>", underline: None },
            Frame::Library(5),
            Frame::Program {
                line: 3,
                function: "load_url",
                underline: Some("urllib.request.urlopen(url, timeout=timeout)"),
            },
            Frame::Library(urllib),
        ];
        let lines = Traceback::new(frames, exception_line(&exception))
            .after(handling.unwrap(), Link::DuringHandling)
            .lines(SOURCE);
        assert_eq!(
            lines[..3],
            [
                "Traceback (most recent call last):",
                "  [9 frames in the standard library]",
                "socket.gaierror: [Errno -2] Name or service not known"
            ]
        );
        assert_eq!(lines[4], "During handling of the above exception, another exception occurred:");
        assert_eq!(
            lines[7..9],
            [
                "  File \"futures_example.py\", line 6, in <module>",
                "    for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):"
            ]
        );
        assert_eq!(lines[12], "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>")
        );
        assert_eq!(lines.len(), 15);
    }

    #[test]
    fn a_refused_connection_is_handled_as_cpythons_connection_refused_error() {
        let exception = PyException::new("URLError", "<urlopen error [Errno 111] Connection refused>");
        let (_, handling) = urlopen_raised(&exception).unwrap();
        assert_eq!(handling.unwrap().exception, "ConnectionRefusedError: [Errno 111] Connection refused");
        let unknown = PyException::new("URLError", "<urlopen error unknown url type: javascript>");
        assert_eq!(urlopen_raised(&unknown), Some((5, None)));
        assert_eq!(urlopen_raised(&PyException::new("HTTPError", "HTTP Error 404: File not found")), Some((6, None)));
        assert_eq!(urlopen_raised(&PyException::new("RuntimeError", "the worker died")), None);
    }

    #[test]
    fn a_cause_without_frames_is_its_line_alone_and_a_message_keeps_its_lines() {
        let remote = Traceback::new(
            Vec::new(),
            "concurrent.futures.process._RemoteTraceback: \n\"\"\"\nTraceback\n\"\"\"".into(),
        );
        let main =
            Traceback::new(vec![Frame::Program { line: 6, function: "<module>", underline: None }], "E: x".into())
                .after(remote, Link::DirectCause);
        let lines = main.lines(SOURCE);
        assert_eq!(lines[..5], ["concurrent.futures.process._RemoteTraceback:", "\"\"\"", "Traceback", "\"\"\"", ""]);
        assert_eq!(lines[5], "The above exception was the direct cause of the following exception:");
        let child = Traceback::new(
            spawned_child_frames(
                vec![Frame::Program {
                    line: 6,
                    function: "<module>",
                    underline: Some("executor.map(load_url, URLS, [60] * len(URLS))"),
                }],
                13,
            ),
            exception_line(&PyException::new("RuntimeError", BOOTSTRAPPING_MESSAGE)),
        );
        let lines = child.lines(SOURCE);
        assert_eq!(lines[1], "  [8 frames in the standard library]");
        assert_eq!(lines[4], "                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^");
        assert_eq!(lines[5], "  [13 frames in the standard library]");
        assert_eq!(lines[6], "RuntimeError:");
        assert!(lines.contains(&"            if __name__ == '__main__':".to_owned()));
        assert_eq!(
            lines.last().map(String::as_str),
            Some("        section in https://docs.python.org/3/library/multiprocessing.html")
        );
    }

    #[test]
    fn no_carets_under_a_whole_statement_or_a_part_it_lacks() {
        assert_eq!(carets("raise x", "raise x"), None);
        assert_eq!(carets("raise x", "y"), None);
        assert_eq!(carets("future_to_url = {", "{").as_deref(), Some("                ^"));
    }
}
