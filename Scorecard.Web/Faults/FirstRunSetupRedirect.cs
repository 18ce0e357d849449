using Scorecard.Data.Accounts;

namespace Scorecard.Web.Faults;

/// <summary>While first-run setup is open (no partnership yet), every page sends the browser to <c>/setup</c>.</summary>
public static class FirstRunSetupRedirect
{
    public const string SetupPath = "/setup";

    public static IApplicationBuilder UseFirstRunSetup(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method)
            && context.RequestServices.GetRequiredService<FirstRunSetup>().IsOpen
            && !request.Path.StartsWithSegments(SetupPath)
            && !Path.HasExtension(request.Path.Value)
            && !request.Path.StartsWithSegments("/_framework") && !request.Path.StartsWithSegments("/_content")
            && !request.Path.StartsWithSegments("/_blazor") && !request.Path.StartsWithSegments("/healthz")
            && !request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(SetupPath);
            return;
        }
        await next(context);
    });
}
