// The project's Dockerfile rules, on top of dockerfile-utils' syntax lint (which the check runs first):
// multi-stage, every base image pinned to a tag, a non-root user, a port exposed (or io.miaosha.listens="none"),
// exec-form entrypoint, no remote ADD.
// Usage: node check-dockerfiles.mjs Dockerfile...
import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';

const problems = [];

for (const file of process.argv.slice(2)) {
  const dockerfile = DockerfileParser.parse(readFileSync(file, 'utf8'));
  const problem = (line, message) => problems.push(`${file}:${line + 1}: ${message}`);
  const froms = dockerfile.getFROMs();
  if (froms.length < 2) problem(0, 'build in one stage and run in another (multi-stage)');

  const stageNames = new Set(froms.map((f) => f.getBuildStage()).filter(Boolean));
  for (const from of froms) {
    const line = from.getRange().start.line;
    const image = from.getImageName();
    if (stageNames.has(image)) continue;
    const tag = from.getImageTag();
    if (!tag && !from.getImageDigest()) problem(line, `base image ${image} has no tag`);
    if (tag === 'latest') problem(line, `base image ${image} uses :latest`);
  }

  const instructions = dockerfile.getInstructions();
  const lastFrom = froms[froms.length - 1];
  const finalStage = instructions.filter((i) => i.getRange().start.line > lastFrom.getRange().start.line);
  const users = finalStage.filter((i) => i.getKeyword() === 'USER');
  const user = users.length ? users[users.length - 1].getArgumentsContent().split(':')[0] : 'root';
  if (['root', '0'].includes(user)) problem(lastFrom.getRange().start.line, 'the runtime stage runs as root: add USER');
  // A runtime that only connects out (the functions' local event source) says so instead of exposing a port.
  const listensNowhere = finalStage.some((i) => i.getKeyword() === 'LABEL' && /io\.miaosha\.listens="?none"?/.test(i.getArgumentsContent()));
  const exposes = finalStage.some((i) => i.getKeyword() === 'EXPOSE');
  if (!exposes && !listensNowhere) problem(lastFrom.getRange().start.line, 'the runtime stage exposes no port (or says LABEL io.miaosha.listens="none")');
  if (exposes && listensNowhere) problem(lastFrom.getRange().start.line, 'the runtime stage exposes a port but says it listens nowhere');

  const entrypoint = finalStage.filter((i) => ['ENTRYPOINT', 'CMD'].includes(i.getKeyword())).pop();
  if (!entrypoint) problem(lastFrom.getRange().start.line, 'the runtime stage has no ENTRYPOINT or CMD');
  else if (!entrypoint.getArgumentsContent().trim().startsWith('[')) {
    problem(entrypoint.getRange().start.line, `${entrypoint.getKeyword()} in shell form does not pass signals to the service`);
  }

  for (const add of instructions.filter((i) => i.getKeyword() === 'ADD')) {
    if (/https?:\/\//.test(add.getArgumentsContent())) problem(add.getRange().start.line, 'ADD of a URL: download in a RUN with a checksum');
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
