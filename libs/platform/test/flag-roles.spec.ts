import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsBoolean, IsOptional } from 'class-validator';
import request from 'supertest';
import { FlagNeedsRoles, Roles } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

class ConfirmDto {
  @IsOptional() @IsBoolean() force?: boolean;
}

@Controller('changes')
class ChangesController {
  confirmed = 0;

  @Post('confirm')
  @HttpCode(200)
  @Roles('admin-agent', 'sales-agent')
  @FlagNeedsRoles('force', 'admin-agent')
  confirm(@Body() body: ConfirmDto) {
    this.confirmed++;
    return { forced: body.force === true };
  }
}

describe('@FlagNeedsRoles', () => {
  let t: TestApp;
  let controller: ChangesController;
  beforeAll(async () => {
    t = await createTestApp([ChangesController]);
    controller = t.app.get(ChangesController);
  });
  afterAll(() => t.app.close());

  const confirm = (roles: string[], body: object, key?: string) => {
    const call = request(t.server()).post('/changes/confirm').set('Authorization', bearer(tokenFor({ roles })));
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };

  it('refuses the flag to the other roles with 403 FORCE_NOT_ALLOWED, before the handler runs', async () => {
    const before = controller.confirmed;
    const res = await confirm(['sales-agent'], { force: true }).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'FORCE_NOT_ALLOWED' });
    expect(res.body.detail).toContain('admin-agent');
    expect(controller.confirmed).toBe(before);
  });

  it('lets the same role through without the flag, or with it false', async () => {
    await confirm(['sales-agent'], {}).expect(200, { forced: false });
    await confirm(['sales-agent'], { force: false }).expect(200, { forced: false });
  });

  it('lets a role that may set it through, also beside a role that may not', async () => {
    await confirm(['admin-agent'], { force: true }).expect(200, { forced: true });
    await confirm(['sales-agent', 'admin-agent'], { force: true }).expect(200, { forced: true });
  });

  it('leaves a flag that is not a boolean to validation (400), whoever sends it', async () => {
    expect((await confirm(['sales-agent'], { force: 'true' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('records nothing against the Idempotency-Key of a refused call', async () => {
    const before = t.store.streamIds().length;
    await confirm(['sales-agent'], { force: true }, 'key-1').expect(403);
    expect(t.store.streamIds()).toHaveLength(before);
    await confirm(['sales-agent'], {}, 'key-2').expect(200);
    expect(t.store.streamIds()).toHaveLength(before + 1);
  });
});
