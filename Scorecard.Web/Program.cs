using Scorecard.Data.Backup;
using Scorecard.Web;

if (BackupCommandLine.IsMaintenance(args)) { Environment.ExitCode = await BackupCommandLine.RunAsync(args); return; }
var app = await ScorecardApp.CreateAsync(args);
await app.RunAsync();
