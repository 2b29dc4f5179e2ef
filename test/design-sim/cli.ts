import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SIM_USER, DEMO_ACCOUNT, startDesignSimulator, type SimAnswer } from './simulator.ts';

/**
 * `npm run design-sim -- <command>`: `serve` runs the simulated design portal; the other commands
 * talk to a running one (--sim, default http://localhost:4020) and print what Balcão answered.
 */
const USAGE = `Design software simulator (the design portal's side of the integration)

  npm run design-sim -- serve [--port 4020] [--balcao http://127.0.0.1:4010] [--account ID] [--secret S]
  npm run design-sim -- user <login> <password> [--name "Full name"]
  npm run design-sim -- passwd <login> <new-password>
  npm run design-sim -- save <project> <environment> [--option name] [--items file.json] [--user login]
  npm run design-sim -- negotiate <project> <environment> [--option name] [--items file.json] [--user login]
  npm run design-sim -- legacy <project-name> <environment> [<environment>...]
  npm run design-sim -- list

<project> / <environment>: the name, the store system's id or the design portal's id.
Commands other than serve accept --sim <url> (default http://localhost:4020).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '4020' },
    host: { type: 'string', default: '127.0.0.1' },
    balcao: { type: 'string', default: process.env.BALCAO_URL ?? 'http://127.0.0.1:4010' },
    account: { type: 'string', default: DEMO_ACCOUNT.accountId },
    secret: { type: 'string', default: DEMO_ACCOUNT.secret },
    sim: { type: 'string', default: 'http://localhost:4020' },
    option: { type: 'string' },
    items: { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function printAnswer(answer: SimAnswer): void {
  const body = answer.body as { error?: { code: string; message: string } } & Record<string, unknown>;
  if (answer.status >= 200 && answer.status < 300) {
    console.log(`Balcão accepted (${answer.status}):`, JSON.stringify(body));
  } else {
    console.log(`Balcão REFUSED (${answer.status}${body?.error ? ` ${body.error.code}` : ''}): ${body?.error?.message ?? JSON.stringify(body)}`);
    process.exitCode = 2;
  }
}

async function command(path: string, args: Record<string, unknown>): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${values.sim}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
  } catch {
    throw new Error(`No simulator answers at ${values.sim}. Start one with "npm run design-sim -- serve" (or pass --sim <url>).`);
  }
  const body = (await response.json()) as { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `simulator answered ${response.status}`);
  return body;
}

function saveOptions(): Record<string, unknown> {
  return {
    ...(values.option ? { option: values.option } : {}),
    ...(values.user ? { user: values.user } : {}),
    ...(values.items ? { items: JSON.parse(readFileSync(values.items, 'utf8')) } : {}),
  };
}

function need(count: number): string[] {
  const args = positionals.slice(1);
  if (args.length < count) {
    console.error(USAGE);
    process.exit(64);
  }
  return args;
}

async function main(): Promise<void> {
  const [name] = positionals;
  if (!name || values.help) {
    console.log(USAGE);
    return;
  }
  switch (name) {
    case 'serve': {
      const sim = await startDesignSimulator({ balcaoUrl: values.balcao!, port: Number(values.port), host: values.host, accountId: values.account, secret: values.secret });
      console.log(`Design portal simulator at ${sim.url}`);
      console.log(`  sends events to   ${sim.balcaoUrl}/api/design/events`);
      console.log(`  account id        ${sim.accountId}`);
      console.log(`  signing secret    ${sim.secret}`);
      console.log(`  designer user     ${DEFAULT_SIM_USER.login} / ${DEFAULT_SIM_USER.password}`);
      console.log('Register it in Balcão (admin): PUT /api/design/portal-account {storeTaxId, accountId, portalUrl, signingSecret}');
      console.log('(the demo store loja1 is seeded with exactly these defaults). Ctrl+C stops.');
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    case 'user': {
      const [login, password] = need(2);
      console.log(JSON.stringify(await command('user', { login, password, name: values.name })));
      return;
    }
    case 'passwd': {
      const [login, password] = need(2);
      printAnswer((await command('passwd', { login, password })) as SimAnswer);
      return;
    }
    case 'save':
    case 'negotiate': {
      const [project, environment] = need(2);
      printAnswer((await command(name, { project, environment, options: saveOptions() })) as SimAnswer);
      return;
    }
    case 'legacy': {
      const [projectName, ...environments] = need(2);
      console.log(JSON.stringify(await command('legacy', { name: projectName, environments }), null, 2));
      return;
    }
    case 'list':
      console.log(JSON.stringify(await command('list', {}), null, 2));
      return;
    default:
      console.error(`Unknown command "${name}".\n\n${USAGE}`);
      process.exitCode = 64;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
