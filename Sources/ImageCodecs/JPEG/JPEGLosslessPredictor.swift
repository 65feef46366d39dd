/// The seven predictors of ITU T.81 table H.1 (Ra left, Rb above, Rc above-left), one type each
/// so the lossless decoder's inner loop is specialized per predictor.
protocol JPEGLosslessPredictor {
    static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32
}

enum LeftPredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { a }
}

enum AbovePredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { b }
}

enum AboveLeftPredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { c }
}

enum PlanePredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { a &+ b &- c }
}

enum LeftGradientPredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { a &+ ((b &- c) >> 1) }
}

enum AboveGradientPredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { b &+ ((a &- c) >> 1) }
}

/// Integer average as libjpeg computes it: (Ra + Rb) >> 1 without overflow for 16-bit samples.
enum AveragePredictor: JPEGLosslessPredictor {
    @inline(__always) static func predict(left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 { (a &+ b) >> 1 }
}
