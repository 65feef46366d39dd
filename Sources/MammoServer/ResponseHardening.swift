import Foundation
import Hummingbird
import MammoData

/// Around every route: errors become a short JSON message without server paths (an unreadable image
/// is 422, anything unexpected 500 with a generic message, never a trace), and every response carries
/// headers that keep the page from being framed, sniffed or made to load other sites' scripts.
struct ResponseHardening: RouterMiddleware {
    typealias Context = BasicRequestContext
    let hiddenPaths: [(path: String, label: String)]

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch let error as DataError {
            let message = ViewerError.publicMessage(error, hiding: hiddenPaths)
            response = try HTTPError(.unprocessableContent, message: message).response(from: request, context: context)
        } catch {
            response = try HTTPError(.internalServerError, message: "internal error").response(from: request, context: context)
        }
        // The router's own 404/405 come without a body: give them the same short JSON message.
        if response.status.code >= 400, response.body.contentLength == 0 {
            let message = response.status.reasonPhrase.lowercased()
            response = try HTTPError(response.status, message: message).response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
