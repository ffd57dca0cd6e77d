/// Finds which of many regions contain a point: an R-tree over the boundaries' bounding boxes, packed
/// bottom-up with Sort-Tile-Recursive (Leutenegger et al., 1997), then exact point-in-polygon tests on the
/// few candidates. Immutable once built; safe to share.
public struct RegionIndex: Sendable {
    public struct Entry: Sendable {
        public var code: String
        public var boundary: Boundary
        /// Deeper levels win when two regions contain the point (a grid inside its township).
        public var depth: Int

        public init(code: String, boundary: Boundary, depth: Int) {
            self.code = code
            self.boundary = boundary
            self.depth = depth
        }
    }

    struct Node: Sendable {
        var box: BoundingBox
        /// Indices into `nodes` (inner) or `entries` (leaf).
        var children: [Int]
        var leaf: Bool
    }

    static let fanout = 16

    let entries: [Entry]
    let boxes: [BoundingBox]
    let areas: [Double]
    var nodes: [Node] = []
    var root: Int?

    public init(_ entries: [Entry]) {
        let usable = entries.filter { $0.boundary.boundingBox != nil }
        self.entries = usable
        self.boxes = usable.map { $0.boundary.boundingBox! }
        self.areas = usable.map { $0.boundary.planarArea }
        var level: [(box: BoundingBox, index: Int)] = boxes.enumerated().map { ($0.element, $0.offset) }
        var leaf = true
        guard !level.isEmpty else { return }
        while true {
            var next: [(box: BoundingBox, index: Int)] = []
            for group in Self.tiles(level) {
                let box = group.dropFirst().reduce(group[0].box) { $0.union($1.box) }
                nodes.append(Node(box: box, children: group.map(\.index), leaf: leaf))
                next.append((box, nodes.count - 1))
            }
            leaf = false
            if next.count == 1 {
                root = next[0].index
                return
            }
            level = next
        }
    }

    /// Sort-Tile-Recursive packing of one level into groups of at most `fanout`.
    static func tiles(_ items: [(box: BoundingBox, index: Int)]) -> [[(box: BoundingBox, index: Int)]] {
        let leaves = (items.count + fanout - 1) / fanout
        let slices = max(1, Int(Double(leaves).squareRoot().rounded(.up)))
        let perSlice = slices * fanout
        let byX = items.sorted { $0.box.centre.longitude < $1.box.centre.longitude }
        var groups: [[(box: BoundingBox, index: Int)]] = []
        var start = 0
        while start < byX.count {
            let slice = byX[start..<min(start + perSlice, byX.count)].sorted {
                $0.box.centre.latitude < $1.box.centre.latitude
            }
            var offset = slice.startIndex
            while offset < slice.endIndex {
                groups.append(Array(slice[offset..<min(offset + fanout, slice.endIndex)]))
                offset += fanout
            }
            start += perSlice
        }
        return groups
    }

    public var count: Int { entries.count }

    /// Codes of every region containing `point`.
    public func containing(_ point: Coordinate) -> [String] {
        candidates(point).map { entries[$0].code }
    }

    /// The smallest region containing `point`: the deepest level, then the smallest area.
    public func smallest(containing point: Coordinate) -> String? {
        candidates(point).min { a, b in
            entries[a].depth != entries[b].depth ? entries[a].depth > entries[b].depth : areas[a] < areas[b]
        }.map { entries[$0].code }
    }

    func candidates(_ point: Coordinate) -> [Int] {
        guard let root else { return [] }
        var found: [Int] = []
        var stack = [root]
        while let next = stack.popLast() {
            let node = nodes[next]
            guard node.box.contains(point) else { continue }
            if node.leaf {
                for entry in node.children where boxes[entry].contains(point) && entries[entry].boundary.contains(point)
                {
                    found.append(entry)
                }
            } else {
                stack.append(contentsOf: node.children)
            }
        }
        return found
    }
}
