// Viewer request of the web app's behaviour: client-side routes (/sales/42, /admin) have no
// file in the bucket, so they get index.html; assets (anything with a dot) pass unchanged.
// Done here rather than with distribution-wide error pages, which would also rewrite the
// API's own 404 problem+json answers.
function handler(event) {
    var request = event.request;
    var last = request.uri.split('/').pop();
    if (last.indexOf('.') === -1) {
        request.uri = '/index.html';
    }
    return request;
}
