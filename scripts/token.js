#!/usr/bin/env node
// Prints a development JWT (and nothing else) for a role and reseller:
//   npm run -s token -- --role admin-agent --reseller r-direct
// Signs with JWT_SECRET or the dev default from config/dev-defaults.json, the same the services use.
'use strict';
const fs = require('fs');
const path = require('path');
const jwt = require('jsonwebtoken');

const ROLES = ['admin-agent', 'sales-agent', 'distributor-admin'];
// The services refuse tokens living longer than JWT_MAX_LIFETIME (libs/platform/src/auth/token-policy.ts).
const SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };
const USAGE =
  'usage: token --role <role>[,<role>] [--role <role>] [--reseller <id>] [--sub <id>] [--name <name>] [--expires <12h>]';

function fail(message) {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { roles: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) fail(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--role':
      case '--roles':
        options.roles.push(...value().split(',').map((r) => r.trim()).filter(Boolean));
        break;
      case '--reseller':
        options.reseller = value();
        break;
      case '--sub':
        options.sub = value();
        break;
      case '--name':
        options.name = value();
        break;
      case '--expires':
        options.expires = value();
        break;
      case '--help':
      case '-h':
        process.stderr.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${arg}`);
    }
  }
  return options;
}

function main() {
  const defaults = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'config', 'dev-defaults.json'), 'utf8'));
  const options = parseArgs(process.argv.slice(2));
  if (options.roles.length === 0) fail('--role is required');
  const unknownRole = options.roles.find((role) => !ROLES.includes(role));
  if (unknownRole) fail(`unknown role ${unknownRole} (known: ${ROLES.join(', ')})`);

  const distributor = options.roles.includes('distributor-admin');
  if (!options.reseller && !distributor) fail('--reseller is required unless the role is distributor-admin');
  // Distributor staff are recognised by the absence of resellerId, so the two cannot be combined.
  if (options.reseller && distributor) fail('distributor-admin tokens carry no --reseller');
  const reseller = options.reseller && defaults.resellers.find((r) => r.id === options.reseller);
  if (options.reseller && !reseller) {
    fail(`unknown reseller ${options.reseller} (known: ${defaults.resellers.map((r) => r.id).join(', ')})`);
  }

  const sub = options.sub || (reseller ? `${reseller.id}-${options.roles[0]}` : `distributor-${options.roles[0]}`);
  const claims = {
    sub,
    name: options.name || sub,
    roles: [...new Set(options.roles)],
    ...(reseller ? { resellerId: reseller.id } : {}),
  };
  const secret = process.env.JWT_SECRET || defaults.jwtSecret;
  let token;
  try {
    token = jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: options.expires || '12h' });
  } catch (error) {
    fail(error.message);
  }
  const { iat, exp } = jwt.decode(token);
  const maxLifetime = process.env.JWT_MAX_LIFETIME || '24h';
  if (exp - iat > lifetimeSeconds(maxLifetime)) {
    fail(`--expires ${options.expires}: the services refuse tokens living longer than ${maxLifetime} (JWT_MAX_LIFETIME)`);
  }
  process.stdout.write(`${token}\n`);
}

/** `24h`, `90m`, `3600`: the syntax of JWT_MAX_LIFETIME. */
function lifetimeSeconds(text) {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!match) fail(`JWT_MAX_LIFETIME: invalid value ${JSON.stringify(text)} (e.g. 24h, 90m, 3600)`);
  return Number(match[1]) * SECONDS[match[2] || 's'];
}

main();
