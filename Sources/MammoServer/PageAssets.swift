/// The page: `Page/index.html`, `viewer.js`, `viewer.css`, embedded in the binary by SwiftPM (`embedInCode`),
/// so the server reads no asset from disk and a copied executable still serves its page.
enum PageAssets {
    static let html = PackageResources.index_html
    static let script = PackageResources.viewer_js
    static let style = PackageResources.viewer_css
}
