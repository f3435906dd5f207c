import WireFormats

/// Upstream bodies from /work/shared/real-traffic (see its INDEX.md for provenance and licences),
/// byte for byte as recorded (base64 here so CRLFs and non-ASCII survive the source file).
enum GeminiRealCaptures {
    /// `gemini/stream-sse-tools-3turn.vcrpy.yaml`, answer 1 (gemini-2.0-flash, alt=sse): one functionCall, no id, no signature.
    static let sseToolsFirstTurn = [UInt8](base64Chunks: [
            "ZGF0YTogeyJjYW5kaWRhdGVzIjogW3siY29udGVudCI6IHsicGFydHMiOiBbeyJmdW5jdGlvbkNhbGwiOiB7Im5hbWUiOiAiZ2V0",
            "X2NhcGl0YWwiLCJhcmdzIjogeyJjb3VudHJ5IjogIkZyYW5jZSJ9fX1dLCJyb2xlIjogIm1vZGVsIn0sImZpbmlzaFJlYXNvbiI6",
            "ICJTVE9QIn1dLCJ1c2FnZU1ldGFkYXRhIjogeyJwcm9tcHRUb2tlbkNvdW50IjogNTIsImNhbmRpZGF0ZXNUb2tlbkNvdW50Ijog",
            "NSwidG90YWxUb2tlbkNvdW50IjogNTcsInByb21wdFRva2Vuc0RldGFpbHMiOiBbeyJtb2RhbGl0eSI6ICJURVhUIiwidG9rZW5D",
            "b3VudCI6IDUyfV0sImNhbmRpZGF0ZXNUb2tlbnNEZXRhaWxzIjogW3sibW9kYWxpdHkiOiAiVEVYVCIsInRva2VuQ291bnQiOiA1",
            "fV19LCJtb2RlbFZlcnNpb24iOiAiZ2VtaW5pLTIuMC1mbGFzaCIsInJlc3BvbnNlSWQiOiAiMWxwZWFNVHhJcFcxbnZnUC1PM3Z3",
            "UVkifQ0KDQo="
    ])

    /// `gemini/stream-sse-tools-3turn.vcrpy.yaml`, answer 3: text over two events, finishReason and usage on the last.
    static let sseTextAfterTools = [UInt8](base64Chunks: [
            "ZGF0YTogeyJjYW5kaWRhdGVzIjogW3siY29udGVudCI6IHsicGFydHMiOiBbeyJ0ZXh0IjogIlRoZSB0ZW1wZXJhdHVyZSBpbiBQ",
            "YXJpcyJ9XSwicm9sZSI6ICJtb2RlbCJ9fV0sInVzYWdlTWV0YWRhdGEiOiB7InByb21wdFRva2VuQ291bnQiOiAxNjksInRvdGFs",
            "VG9rZW5Db3VudCI6IDE2OSwicHJvbXB0VG9rZW5zRGV0YWlscyI6IFt7Im1vZGFsaXR5IjogIlRFWFQiLCJ0b2tlbkNvdW50Ijog",
            "MTY5fV19LCJtb2RlbFZlcnNpb24iOiAiZ2VtaW5pLTIuMC1mbGFzaCIsInJlc3BvbnNlSWQiOiAiMTFwZWFJX1pKTHEzbnZnUDB2",
            "YXN1UWsifQ0KDQpkYXRhOiB7ImNhbmRpZGF0ZXMiOiBbeyJjb250ZW50IjogeyJwYXJ0cyI6IFt7InRleHQiOiAiIGlzIDMwwrBD",
            "LlxuIn1dLCJyb2xlIjogIm1vZGVsIn0sImZpbmlzaFJlYXNvbiI6ICJTVE9QIn1dLCJ1c2FnZU1ldGFkYXRhIjogeyJwcm9tcHRU",
            "b2tlbkNvdW50IjogNzksImNhbmRpZGF0ZXNUb2tlbkNvdW50IjogMTIsInRvdGFsVG9rZW5Db3VudCI6IDkxLCJwcm9tcHRUb2tl",
            "bnNEZXRhaWxzIjogW3sibW9kYWxpdHkiOiAiVEVYVCIsInRva2VuQ291bnQiOiA3OX1dLCJjYW5kaWRhdGVzVG9rZW5zRGV0YWls",
            "cyI6IFt7Im1vZGFsaXR5IjogIlRFWFQiLCJ0b2tlbkNvdW50IjogMTJ9XX0sIm1vZGVsVmVyc2lvbiI6ICJnZW1pbmktMi4wLWZs",
            "YXNoIiwicmVzcG9uc2VJZCI6ICIxMXBlYUlfWkpMcTNudmdQMHZhc3VRayJ9DQoNCg=="
    ])

    /// `gemini/stream-sse-tools-multiturn.ruby-vcr.yml`, answer 1 (gemini-2.5-flash, alt=sse): a functionCall carrying a thoughtSignature, thoughtsTokenCount 43.
    static let sseCallWithThoughtSignature = [UInt8](base64Chunks: [
            "ZGF0YTogeyJjYW5kaWRhdGVzIjogW3siY29udGVudCI6IHsicGFydHMiOiBbeyJmdW5jdGlvbkNhbGwiOiB7Im5hbWUiOiAid2Vh",
            "dGhlciIsImFyZ3MiOiB7ImxhdGl0dWRlIjogIjUyLjUyMDAiLCJsb25naXR1ZGUiOiAiMTMuNDA1MCJ9fSwidGhvdWdodFNpZ25h",
            "dHVyZSI6ICJDaVFCRVUweUQxaENZaVVvUkZ5ZXJPN3hsdFJOWVduSStzU0ZBMWN3emZyTzAvU0pVejBLZkFFUlRUSVBVRXZoanl6",
            "N0cvaXByVUpqWWgrWjcwL0o5SkcweGhZaGoreGVJTUhoVEZzK0hnZk9kSldQbCttUDJ3amhpL25jTm9idmpOZUphQklwQXRkbEhi",
            "MmtobmxQTXdzdFJnd09WdmZIbS9xeE54UWVMU2hsWXBBMXNkaUQyL1dmS1YrdDJhK1haaHJVdUxwditqQlZzUnBSc3A4bzEvcVVz",
            "K0VLbXdFQkVVMHlEK2VkRlpjZzcyd0lQV0NsTzREOHBKSGYyOVkxaUpQNEp4ZGExSTJVenZsVC9taXRUNnl1ZUx5MDhtT3FvcWVR",
            "Q3BSNWl4NFhlZTBMYnQzZHJUVGZpQkFQTFVpVDNXWlhOTFpBanI4Zk8yYU1DMzQzTmxhQ0lNOG0zb3dwaHl2NGZGSEoySGZ6bGU1",
            "Sy9CK21uZU9semZMVllSQzAxdTBqWE9Pck5WMm5qUno0YjZGSHo3UFNHU3JTek5nNmVsYk1aQ0lUZ2VjeWFnPT0ifV0sInJvbGUi",
            "OiAibW9kZWwifSwiZmluaXNoUmVhc29uIjogIlNUT1AiLCJpbmRleCI6IDAsImZpbmlzaE1lc3NhZ2UiOiAiTW9kZWwgZ2VuZXJh",
            "dGVkIGZ1bmN0aW9uIGNhbGwocykuIn1dLCJ1c2FnZU1ldGFkYXRhIjogeyJwcm9tcHRUb2tlbkNvdW50IjogMTAzLCJjYW5kaWRh",
            "dGVzVG9rZW5Db3VudCI6IDMwLCJ0b3RhbFRva2VuQ291bnQiOiAxNzYsInByb21wdFRva2Vuc0RldGFpbHMiOiBbeyJtb2RhbGl0",
            "eSI6ICJURVhUIiwidG9rZW5Db3VudCI6IDEwM31dLCJ0aG91Z2h0c1Rva2VuQ291bnQiOiA0Mywic2VydmljZVRpZXIiOiAic3Rh",
            "bmRhcmQifSwibW9kZWxWZXJzaW9uIjogImdlbWluaS0yLjUtZmxhc2giLCJyZXNwb25zZUlkIjogIlU3LUZhb19FS18tVnZkSVAx",
            "LWFKOFFvIn0NCg0K"
    ])

    /// `gemini/stream-sse-tools-multiturn.ruby-vcr.yml`, answer 4: one text part with a thoughtSignature, thoughtsTokenCount 74.
    static let sseTextWithThoughtSignature = [UInt8](base64Chunks: [
            "ZGF0YTogeyJjYW5kaWRhdGVzIjogW3siY29udGVudCI6IHsicGFydHMiOiBbeyJ0ZXh0IjogIlRoZSB3ZWF0aGVyIGluIFBhcmlz",
            "IGlzIDE1wrBDIHdpdGggYSB3aW5kIG9mIDEwIGttL2guIiwidGhvdWdodFNpZ25hdHVyZSI6ICJDblFCRVUweUQ4cE1MeTV0SWto",
            "YTNFazB1MFhkNldpUW94QTNaWGc5S1ZheFE5ZEhaM1h2d0t1WnBVMkVMVHZkUTZMaW16Z2pvVGdDZkM3LzR0bi9scUNTOXhTNmNN",
            "dS9GVkNKa25JSVVhbGt3ajJPTDhVaS9qTXBaZmlsWk8wVU9QNWtPUW1lSTYwUTJEaEliZEpMclVKY1BFbVU1Z3E0QVFFUlRUSVBx",
            "SUgrVk1UL1ZueXBWMjNSVnJ3emxQMkwvY01HQlVrSVFEWHZPNFpjUkdBZncyb1l6U2hBOG1wSkVqQUVwd2djNU9rMkNkbFVNaUdS",
            "cE1VbHVxMk1ReWk4b05wMkVyTTNyazNOMS9QdEM0cXAxQlhiUUJhelBRTnk0SEdxRFM4ZzJEZnRLb3o4bWtnK3dkVUpiQnRYbkVk",
            "K1c0U3U2NnVJQ0x1Y2dPL1hlN2ZoeWpOQXVNTFQxZUF6MTlSUUNCbTFRclY3WGJ5VjdQWHppZVhDME1yQ0lQS0hDS1p3anR0VVNn",
            "bDErZE9CZWhZQUpCVUtOQUVSVFRJUEZBejBhUkQrQktFRTFPZlE3Wk56eDFVc2pULzFGNlF6QmtOREc0V3RDYzVYNFB3a0ZaRzZs",
            "Q1MzVVM0bWprVT0ifV0sInJvbGUiOiAibW9kZWwifSwiZmluaXNoUmVhc29uIjogIlNUT1AiLCJpbmRleCI6IDB9XSwidXNhZ2VN",
            "ZXRhZGF0YSI6IHsicHJvbXB0VG9rZW5Db3VudCI6IDMyMywiY2FuZGlkYXRlc1Rva2VuQ291bnQiOiAyMSwidG90YWxUb2tlbkNv",
            "dW50IjogNDE4LCJwcm9tcHRUb2tlbnNEZXRhaWxzIjogW3sibW9kYWxpdHkiOiAiVEVYVCIsInRva2VuQ291bnQiOiAzMjN9XSwi",
            "dGhvdWdodHNUb2tlbkNvdW50IjogNzQsInNlcnZpY2VUaWVyIjogInN0YW5kYXJkIn0sIm1vZGVsVmVyc2lvbiI6ICJnZW1pbmkt",
            "Mi41LWZsYXNoIiwicmVzcG9uc2VJZCI6ICJWYi1GYXV1Tko4YkF4TjhQdi03RmVRIn0NCg0K"
    ])

    /// `gemini/stream-json-array-tools-gzip.vcrpy.yaml`, answer 1 (gemini-2.5-flash, JSON-array form, gzip removed): a thought part, then a functionCall with a thoughtSignature.
    static let jsonArrayThoughtThenCall = [UInt8](base64Chunks: [
            "W3sKICAiY2FuZGlkYXRlcyI6IFsKICAgIHsKICAgICAgImNvbnRlbnQiOiB7CiAgICAgICAgInBhcnRzIjogWwogICAgICAgICAg",
            "ewogICAgICAgICAgICAidGV4dCI6ICIqKkdlbmVyYXRpbmcgUGVsaWNhbiBOYW1lcyoqXG5cbk9rYXksIEknbSB0aGlua2luZyBJ",
            "IHNob3VsZCB1c2UgdGhlIGBwZWxpY2FuX25hbWVfZ2VuZXJhdG9yYCB0b29sIHRvIGFkZHJlc3MgdGhlIHVzZXIncyByZXF1ZXN0",
            "LiBJdCBzZWVtcyBzdHJhaWdodGZvcndhcmQ6IGNhbGwgaXQgdHdpY2UgdG8gZ2V0IHR3byBkaWZmZXJlbnQgbmFtZXMgZm9yIHRo",
            "ZSBwZXQgcGVsaWNhbi4gSXQncyBhIHF1aWNrIHBsYW4uXG5cblxuIiwKICAgICAgICAgICAgInRob3VnaHQiOiB0cnVlCiAgICAg",
            "ICAgICB9CiAgICAgICAgXSwKICAgICAgICAicm9sZSI6ICJtb2RlbCIKICAgICAgfSwKICAgICAgImluZGV4IjogMAogICAgfQog",
            "IF0sCiAgInVzYWdlTWV0YWRhdGEiOiB7CiAgICAicHJvbXB0VG9rZW5Db3VudCI6IDMyLAogICAgInRvdGFsVG9rZW5Db3VudCI6",
            "IDc0LAogICAgInByb21wdFRva2Vuc0RldGFpbHMiOiBbCiAgICAgIHsKICAgICAgICAibW9kYWxpdHkiOiAiVEVYVCIsCiAgICAg",
            "ICAgInRva2VuQ291bnQiOiAzMgogICAgICB9CiAgICBdLAogICAgInRob3VnaHRzVG9rZW5Db3VudCI6IDQyLAogICAgInNlcnZp",
            "Y2VUaWVyIjogInN0YW5kYXJkIgogIH0sCiAgIm1vZGVsVmVyc2lvbiI6ICJnZW1pbmktMi41LWZsYXNoIiwKICAicmVzcG9uc2VJ",
            "ZCI6ICJPWXB5YXF5Y0tkMlZfdU1QNjVUc2dBMCIKfQosDQp7CiAgImNhbmRpZGF0ZXMiOiBbCiAgICB7CiAgICAgICJjb250ZW50",
            "IjogewogICAgICAgICJwYXJ0cyI6IFsKICAgICAgICAgIHsKICAgICAgICAgICAgImZ1bmN0aW9uQ2FsbCI6IHsKICAgICAgICAg",
            "ICAgICAibmFtZSI6ICJwZWxpY2FuX25hbWVfZ2VuZXJhdG9yIiwKICAgICAgICAgICAgICAiYXJncyI6IHt9CiAgICAgICAgICAg",
            "IH0sCiAgICAgICAgICAgICJ0aG91Z2h0U2lnbmF0dXJlIjogIkNsZ0JFVTB5RDh6M3RZemJnaloxamM2bEwxZndVdm05LzhPelR3",
            "aDV1eUhkM29jL25TTkNCcHNSV0FGY0YrOFBzY1JnWHZoQ2VzT2ppZTh0eFg4N05YaGFDYXF5bktLb3NVRWw0dzJOU2ZQVDBBZzZY",
            "YjAzdkpLNUNwNEJBUkZOTWc5dE9qemx2R1Zlb2RSY1VrZDF4WjlMKzVYdTNSbDJMS0ZXT0hkbWdhWEdWQmg5L3M3TGZnMGpZTmY3",
            "YUdCRVA3K3Rob3lKRTdqWHFUdlJBa1VJUkU4L3dnT2JlVVhPQk01eTlRNjYrVEJWSCsrejJyZDBKMlRoajBqWDljcnpmaGJNNExV",
            "NS9IMTY3TFlIejBzSkdsZWkvUmlsL3AxTEFSazcwRlg5NFh1bi9la0s5Wk03Qzhab3Zoek9ZcW9WSy9BVjg0K2dObTVBS2xrPSIK",
            "ICAgICAgICAgIH0KICAgICAgICBdLAogICAgICAgICJyb2xlIjogIm1vZGVsIgogICAgICB9LAogICAgICAiZmluaXNoUmVhc29u",
            "IjogIlNUT1AiLAogICAgICAiaW5kZXgiOiAwLAogICAgICAiZmluaXNoTWVzc2FnZSI6ICJNb2RlbCBnZW5lcmF0ZWQgZnVuY3Rp",
            "b24gY2FsbChzKS4iCiAgICB9CiAgXSwKICAidXNhZ2VNZXRhZGF0YSI6IHsKICAgICJwcm9tcHRUb2tlbkNvdW50IjogMzIsCiAg",
            "ICAiY2FuZGlkYXRlc1Rva2VuQ291bnQiOiAxMiwKICAgICJ0b3RhbFRva2VuQ291bnQiOiA4NiwKICAgICJwcm9tcHRUb2tlbnNE",
            "ZXRhaWxzIjogWwogICAgICB7CiAgICAgICAgIm1vZGFsaXR5IjogIlRFWFQiLAogICAgICAgICJ0b2tlbkNvdW50IjogMzIKICAg",
            "ICAgfQogICAgXSwKICAgICJ0aG91Z2h0c1Rva2VuQ291bnQiOiA0MiwKICAgICJzZXJ2aWNlVGllciI6ICJzdGFuZGFyZCIKICB9",
            "LAogICJtb2RlbFZlcnNpb24iOiAiZ2VtaW5pLTIuNS1mbGFzaCIsCiAgInJlc3BvbnNlSWQiOiAiT1lweWFxeWNLZDJWX3VNUDY1",
            "VHNnQTAiCn0KXQ=="
    ])

    /// `vertex/oauth2-then-stream-sse.ruby-vcr.yml`, answer 2 (Vertex AI, gemini-2.5-flash, alt=sse): one text event with thoughtsTokenCount 25.
    static let vertexSSEText = [UInt8](base64Chunks: [
            "ZGF0YTogeyJjYW5kaWRhdGVzIjogW3siY29udGVudCI6IHsicm9sZSI6ICJtb2RlbCIsInBhcnRzIjogW3sidGV4dCI6ICIxLCAy",
            "LCAzIn1dfSwiZmluaXNoUmVhc29uIjogIlNUT1AifV0sInVzYWdlTWV0YWRhdGEiOiB7InByb21wdFRva2VuQ291bnQiOiA3LCJj",
            "YW5kaWRhdGVzVG9rZW5Db3VudCI6IDcsInRvdGFsVG9rZW5Db3VudCI6IDM5LCJ0cmFmZmljVHlwZSI6ICJPTl9ERU1BTkQiLCJw",
            "cm9tcHRUb2tlbnNEZXRhaWxzIjogW3sibW9kYWxpdHkiOiAiVEVYVCIsInRva2VuQ291bnQiOiA3fV0sImNhbmRpZGF0ZXNUb2tl",
            "bnNEZXRhaWxzIjogW3sibW9kYWxpdHkiOiAiVEVYVCIsInRva2VuQ291bnQiOiA3fV0sInRob3VnaHRzVG9rZW5Db3VudCI6IDI1",
            "fSwibW9kZWxWZXJzaW9uIjogImdlbWluaS0yLjUtZmxhc2giLCJjcmVhdGVUaW1lIjogIjIwMjYtMDgtMTlUMTQ6MzQ6MjkuNDY3",
            "MjAyWiIsInJlc3BvbnNlSWQiOiAiOWI2RmFvTENITktQeE44UDE5dlIyQUUifQ0KDQo="
    ])

    /// `gemini/error-429-body.json`: RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo details.
    static let error429 = [UInt8](base64Chunks: [
            "ewogICJlcnJvciI6IHsKICAgICJjb2RlIjogNDI5LAogICAgIm1lc3NhZ2UiOiAiWW91IGV4Y2VlZGVkIHlvdXIgY3VycmVudCBx",
            "dW90YSwgcGxlYXNlIGNoZWNrIHlvdXIgcGxhbi4iLAogICAgInN0YXR1cyI6ICJSRVNPVVJDRV9FWEhBVVNURUQiLAogICAgImRl",
            "dGFpbHMiOiBbCiAgICAgIHsKICAgICAgICAiQHR5cGUiOiAidHlwZS5nb29nbGVhcGlzLmNvbS9nb29nbGUucnBjLlF1b3RhRmFp",
            "bHVyZSIsCiAgICAgICAgInZpb2xhdGlvbnMiOiBbCiAgICAgICAgICB7CiAgICAgICAgICAgICJxdW90YUlkIjogIkdlbmVyYXRl",
            "UmVxdWVzdHNQZXJNaW51dGVQZXJQcm9qZWN0UGVyTW9kZWwtRnJlZVRpZXIiCiAgICAgICAgICB9CiAgICAgICAgXQogICAgICB9",
            "LAogICAgICB7CiAgICAgICAgIkB0eXBlIjogInR5cGUuZ29vZ2xlYXBpcy5jb20vZ29vZ2xlLnJwYy5SZXRyeUluZm8iLAogICAg",
            "ICAgICJyZXRyeURlbGF5IjogIjM0LjRzIgogICAgICB9CiAgICBdCiAgfQp9Cg=="
    ])

    /// `gemini/generate-400-invalid-key.ruby-vcr.yml`: INVALID_ARGUMENT, API_KEY_INVALID.
    static let error400InvalidKey = [UInt8](base64Chunks: [
            "ewogICJlcnJvciI6IHsKICAgICJjb2RlIjogNDAwLAogICAgIm1lc3NhZ2UiOiAiQVBJIGtleSBub3QgdmFsaWQuIFBsZWFzZSBw",
            "YXNzIGEgdmFsaWQgQVBJIGtleS4iLAogICAgInN0YXR1cyI6ICJJTlZBTElEX0FSR1VNRU5UIiwKICAgICJkZXRhaWxzIjogWwog",
            "ICAgICB7CiAgICAgICAgIkB0eXBlIjogInR5cGUuZ29vZ2xlYXBpcy5jb20vZ29vZ2xlLnJwYy5FcnJvckluZm8iLAogICAgICAg",
            "ICJyZWFzb24iOiAiQVBJX0tFWV9JTlZBTElEIiwKICAgICAgICAiZG9tYWluIjogImdvb2dsZWFwaXMuY29tIiwKICAgICAgICAi",
            "bWV0YWRhdGEiOiB7CiAgICAgICAgICAic2VydmljZSI6ICJnZW5lcmF0aXZlbGFuZ3VhZ2UuZ29vZ2xlYXBpcy5jb20iCiAgICAg",
            "ICAgfQogICAgICB9LAogICAgICB7CiAgICAgICAgIkB0eXBlIjogInR5cGUuZ29vZ2xlYXBpcy5jb20vZ29vZ2xlLnJwYy5Mb2Nh",
            "bGl6ZWRNZXNzYWdlIiwKICAgICAgICAibG9jYWxlIjogImVuLVVTIiwKICAgICAgICAibWVzc2FnZSI6ICJBUEkga2V5IG5vdCB2",
            "YWxpZC4gUGxlYXNlIHBhc3MgYSB2YWxpZCBBUEkga2V5LiIKICAgICAgfQogICAgXQogIH0KfQo="
    ])
}
