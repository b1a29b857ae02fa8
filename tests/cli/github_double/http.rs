//! The double's HTTP/1.1 framing: reading one request (headers, `Expect: 100-continue`, a body
//! by `Content-Length` or `Transfer-Encoding: chunked`) and writing one answer or closing without
//! one. It knows nothing of GitHub; what a request means is the other modules' business.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use super::Recorded;

/// How long the double waits for a client that stops sending in the middle of a request, so a
/// stuck client costs a thread for a while, not forever.
pub(super) const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the double waits, after answering, for the client to close its side. Closing a
/// socket that still has unread bytes makes the kernel send a reset, which can destroy the answer
/// before the client reads it.
const LINGER: Duration = Duration::from_secs(2);

/// One answer to write.
#[derive(Debug, Clone)]
pub(super) struct Answer {
    pub status: u16,
    /// The JSON body; `Null` (and any body of a 204) is sent as no body.
    pub body: serde_json::Value,
    /// Headers beyond the framing ones, in order.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    pub fn new(status: u16, body: serde_json::Value) -> Answer {
        Answer {
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// Adds `name: value`, replacing any header of that name (case-insensitive).
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }
}

/// Reads one request. Returns it with every way its framing broke HTTP/1.1 (a body shorter or
/// longer than its `Content-Length`, bad chunks), or `None` when there was no request at all
/// (the connection closed or sent garbage before the end of the headers).
pub(super) fn read_request(stream: &TcpStream) -> Option<(Recorded, Vec<String>)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            break;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (target, String::new()),
    };
    let mut recorded = Recorded {
        method,
        path,
        query,
        headers,
        body: Vec::new(),
        operation: None,
        fault: None,
    };
    let mut problems = Vec::new();
    // A client that asks first (hyper and curl may, for large uploads) sends the body only after
    // this interim answer.
    if recorded
        .header("expect")
        .iter()
        .any(|value| value.eq_ignore_ascii_case("100-continue"))
    {
        let mut writer = stream;
        let _ = writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        let _ = writer.flush();
    }
    let chunked = recorded
        .header("transfer-encoding")
        .iter()
        .any(|value| value.to_ascii_lowercase().contains("chunked"));
    let lengths = recorded.header("content-length");
    if chunked && !lengths.is_empty() {
        problems.push(String::from(
            "a request must not carry both `Content-Length` and `Transfer-Encoding: chunked`",
        ));
    }
    if chunked {
        recorded.body = read_chunked(&mut reader, &mut problems);
    } else {
        match lengths.as_slice() {
            [] => {}
            [length] => match length.parse::<u64>() {
                Err(_) => problems.push(format!("`Content-Length: {length}` is not a number")),
                Ok(length) => {
                    let mut body = Vec::new();
                    // A short body shows as an early end or a timeout: keep what came.
                    let _ = (&mut reader).take(length).read_to_end(&mut body);
                    if (body.len() as u64) < length {
                        problems.push(format!(
                            "the body has {} bytes where `Content-Length` says {length}",
                            body.len()
                        ));
                    }
                    recorded.body = body;
                }
            },
            _ => problems.push(String::from("more than one `Content-Length` header")),
        }
    }
    if !reader.buffer().is_empty() || more_is_waiting(stream) {
        problems.push(String::from(
            "bytes follow the request's body: its `Content-Length` is too small",
        ));
    }
    Some((recorded, problems))
}

/// Decodes a `Transfer-Encoding: chunked` body: hex size lines, data, a zero chunk, trailers.
fn read_chunked(reader: &mut BufReader<TcpStream>, problems: &mut Vec<String>) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            problems.push(String::from("the chunked body ends before its last chunk"));
            return body;
        }
        let size = line.trim_end().split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size, 16) else {
            problems.push(format!("`{}` is not a chunk size", line.trim_end()));
            return body;
        };
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                let mut trailer = String::new();
                if reader.read_line(&mut trailer).unwrap_or(0) == 0 || trailer.trim_end().is_empty()
                {
                    return body;
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        let mut end = [0; 2];
        if reader.read_exact(&mut body[start..]).is_err()
            || reader.read_exact(&mut end).is_err()
            || &end != b"\r\n"
        {
            problems.push(format!(
                "a chunk of {size} bytes is cut short or not ended by CRLF"
            ));
            return body;
        }
    }
}

/// Whether bytes are already waiting on `stream` beyond what was read (without waiting for any).
fn more_is_waiting(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let mut byte = [0; 1];
    let waiting = matches!(stream.peek(&mut byte), Ok(n) if n > 0);
    let _ = stream.set_nonblocking(false);
    waiting
}

/// Writes `answer` and closes the connection (`Connection: close`), in an order that lets the
/// client read all of it: write, flush, shut the writing side, and wait for the client to close.
pub(super) fn write_answer(mut stream: TcpStream, answer: &Answer) {
    let body = if answer.status == 204 || answer.body.is_null() {
        String::new()
    } else {
        answer.body.to_string()
    };
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    if !body.is_empty() {
        head.push_str("Content-Type: application/json; charset=utf-8\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n",
        body.len()
    ));
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    linger(&mut stream);
}

/// Closes the connection without a word, as a server or proxy that died mid-request does.
pub(super) fn close_without_answer(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    linger(&mut stream);
}

/// Reads and drops whatever the client still sends until it closes, for at most [`LINGER`].
fn linger(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(LINGER));
    let mut sink = [0; 4096];
    loop {
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

/// The reason phrase of `status` (clients ignore it, people reading traces do not).
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
