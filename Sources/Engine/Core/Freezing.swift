/// Freezing for transfer learning: a frozen weight gets no gradient and the optimizer leaves
/// it unchanged (e.g. the encoder taken over from a classifier checkpoint).

/// Freezes every weight whose name satisfies `predicate`; returns their names.
/// Buffers are never trained anyway and are left alone.
@discardableResult
public func freeze(_ parameters: [Parameter], where predicate: (String) -> Bool) -> [String] {
    setTrainable(false, parameters, where: predicate)
}

/// Freezes every weight whose name starts with `prefix` (e.g. "encoder.").
@discardableResult
public func freeze(_ parameters: [Parameter], prefix: String) -> [String] {
    freeze(parameters) { $0.hasPrefix(prefix) }
}

/// Makes every weight whose name satisfies `predicate` trainable again; returns their names.
@discardableResult
public func unfreeze(_ parameters: [Parameter], where predicate: (String) -> Bool) -> [String] {
    setTrainable(true, parameters, where: predicate)
}

private func setTrainable(_ trainable: Bool, _ parameters: [Parameter], where predicate: (String) -> Bool) -> [String] {
    var changed: [String] = []
    for parameter in parameters where parameter.kind == .weight && predicate(parameter.name) {
        parameter.isTrainable = trainable
        changed.append(parameter.name)
    }
    return changed
}
