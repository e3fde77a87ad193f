using System.Net;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// The checks every smart-HTTP answer gets, whether libgit2 (<see cref="GitHttpStream"/>) or the treeless exchange
/// (<see cref="GitHttpExchange"/>) asked: which redirects are followed, and what an answer must be to be read.
/// </summary>
internal static class GitHttpAnswer
{
    private const int MaxRedirects = 5;

    public static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>
    /// Where the redirect <paramref name="response"/> (disposed here) sends the request for <paramref name="uri"/>:
    /// only a GET, at most <see cref="MaxRedirects"/> times, and only within the repository's origin, because the
    /// credentials are scoped to it (GITOPS031).
    /// </summary>
    public static Uri Follow(HttpResponseMessage response, Uri uri, bool post, int redirects, GitHttpSession session)
    {
        var target = response.Headers.Location is { } location ? new Uri(uri, location) : null;
        response.Dispose();
        // Another origin first: a POST sent there is refused as such, not only as a POST (the treeless clone's first request is one).
        if (target is not null && Origin.Of(target) != session.Origin)
            throw new GitOpsException(Errors.ConfigRedirectRefused, session.DisplayUrl, UrlRedactor.Redact(target.GetLeftPart(UriPartial.Path)));
        if (target is null || post || redirects == MaxRedirects)
            throw new HttpRequestException($"unexpected redirect of {UrlRedactor.Redact(uri.ToString())} ({(post ? "POST" : $"{redirects + 1} redirects")})");
        return target;
    }

    /// <summary>An answer to read: 200 with the service's content type (GITOPS093 for a proxy that refuses the credentials).</summary>
    public static void Check(HttpResponseMessage response, Uri uri, GitService service, bool post, GitHttpSession session)
    {
        var status = (int)response.StatusCode;
        if (status == 407)
            throw new GitOpsException(Errors.ProxyAuthenticationFailed, session.DisplayUrl);
        if (status != 200)
            // libgit2's wording, which GitErrorClassifier reads (401, 403, 404, 5xx).
            throw new HttpRequestException($"unexpected http status code: {status}");
        var type = response.Content.Headers.ContentType?.MediaType;
        var expected = post ? service.ResultType : service.AdvertisementType;
        if (!string.Equals(type, expected, StringComparison.OrdinalIgnoreCase))
            throw new HttpRequestException($"{UrlRedactor.Redact(uri.GetLeftPart(UriPartial.Path))} is not a Git smart-HTTP endpoint (Content-Type '{type}', expected '{expected}')");
    }
}
