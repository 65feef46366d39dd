import Foundation

/// What `mammoseg serve` was asked for: where the images and the state live, where to listen, and the limits.
public struct ViewerConfiguration: Sendable {
    /// DIR: the folder whose images are listed; nothing outside it is served.
    public var imagesFolder: String
    /// Predictions, display copies and uploads are cached here (never inside DIR).
    public var stateFolder: String
    public var host: String
    /// 0 picks a free port (printed when listening).
    public var port: Int
    /// Largest upload accepted, in bytes.
    public var maxUploadBytes: Int
    /// Longest side of the copies the page draws (the server averages blocks of pixels down to it).
    public var displayMaxSide: Int
    /// Names the checkpoint and policy, so a cache made by another model is never reused.
    public var modelIdentity: String

    public init(imagesFolder: String, stateFolder: String, host: String = "127.0.0.1", port: Int = 8080,
                maxUploadBytes: Int = 256 << 20, displayMaxSide: Int = 2048, modelIdentity: String) {
        self.imagesFolder = imagesFolder; self.stateFolder = stateFolder; self.host = host; self.port = port
        self.maxUploadBytes = maxUploadBytes; self.displayMaxSide = displayMaxSide
        self.modelIdentity = modelIdentity
    }
}
