/// Thrown from a response body writer to end the connection abruptly.
///
/// Hummingbird closes the channel when the body closure throws, without writing the chunked
/// terminator (`0\r\n\r\n`), which is how a real upstream looks when it dies mid-stream.
package struct ScriptedDisconnect: Error, Sendable {}
