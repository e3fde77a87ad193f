// The fixtures serve every folder's tests.
global using GitOps.Build.Tests.Fixtures;
