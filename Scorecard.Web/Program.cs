using Scorecard.Web;

var app = await ScorecardApp.CreateAsync(args);
await app.RunAsync();
