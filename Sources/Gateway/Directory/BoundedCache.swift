/// A dictionary that holds at most `capacity` entries, evicting the least recently used ones
/// when full.
///
/// Eviction removes the oldest eighth in one pass (a sort), rather than tracking a linked list:
/// that keeps every hit a dictionary lookup and an integer store, and costs O(log n) per insert
/// amortised. Not thread-safe; ``GatewayDirectory`` holds it under its mutex.
struct BoundedCache<Key: Hashable, Value> {
    private struct Entry {
        var value: Value
        var lastUsed: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { self.entries.count }

    /// The value for `key`, marking it recently used.
    mutating func value(forKey key: Key) -> Value? {
        guard var entry = self.entries[key] else { return nil }
        self.clock &+= 1
        entry.lastUsed = self.clock
        self.entries[key] = entry
        return entry.value
    }

    mutating func insert(_ value: Value, forKey key: Key) {
        if self.entries[key] == nil && self.entries.count >= self.capacity {
            self.evictLeastRecentlyUsed()
        }
        self.clock &+= 1
        self.entries[key] = Entry(value: value, lastUsed: self.clock)
    }

    mutating func removeAll() {
        self.entries.removeAll(keepingCapacity: true)
    }

    private mutating func evictLeastRecentlyUsed() {
        let evictionCount = max(1, self.capacity / 8)
        let oldest = self.entries.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(evictionCount)
        for (key, _) in oldest {
            self.entries[key] = nil
        }
    }
}
