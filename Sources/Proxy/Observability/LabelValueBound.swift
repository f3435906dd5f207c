/// Keeps one label's values bounded, so that clients cannot grow the metrics without limit by
/// sending made-up model names or profile ids.
///
/// A value becomes a label value once a request with it has been answered 2xx by the upstream
/// (the upstream knew the model, the gateway knew the profile), and only while fewer than
/// ``capacity`` values have been admitted; any other value is reported as ``overflow``. Not
/// thread-safe: its owner holds it under a lock.
struct LabelValueBound<Value: Hashable> {
    let capacity: Int
    private(set) var admitted: Set<Value> = []

    /// The label value reported for values not admitted.
    static var overflow: String { "other" }

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Whether `value` may appear as a label value, admitting it when `mayAdmit` and there is room.
    mutating func admits(_ value: Value, mayAdmit: Bool) -> Bool {
        if self.admitted.contains(value) { return true }
        guard mayAdmit, self.admitted.count < self.capacity else { return false }
        self.admitted.insert(value)
        return true
    }
}

extension LabelValueBound where Value == String {
    /// A model name fit to be a label value: short, and made of the characters model ids use.
    static func isClean(_ model: String) -> Bool {
        guard !model.isEmpty, model.utf8.count <= 128 else { return false }
        return model.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "+"):
                return true
            default:
                return false
            }
        }
    }
}
