// Viewer request of the API and WebSocket behaviours: tell the origin (and the WAF in front of
// it) who the shopper is. The header is overwritten, never appended to, so a client cannot
// pick its own address the way it can with X-Forwarded-For.
function handler(event) {
    var request = event.request;
    request.headers['x-viewer-address'] = { value: event.viewer.ip };
    return request;
}
