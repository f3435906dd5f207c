package import HTTPTypes

/// What the client sent that may carry its credential.
package struct ClientCredentials: Sendable {
    package let headers: HTTPFields
    package let query: String?

    package init(headers: HTTPFields, query: String?) {
        self.headers = headers
        self.query = query
    }
}
