import CDNNL
import Engine

/// Runs one oneDNN C call and turns a non-success status into a Swift error naming the call.
///
/// Every `dnnl_*` function that returns a `dnnl_status_t` goes through here, so a failure
/// always reads like `dnnl_convolution_forward_desc_init failed: invalid_arguments`.
@inline(__always)
func dnnlCall(_ call: StaticString, _ body: () -> dnnl_status_t) throws {
    let status = body()
    guard status == dnnl_success else {
        throw EngineError.backendCall(call: "\(call)", status: String(cString: dnnl_status2str(status)))
    }
}
