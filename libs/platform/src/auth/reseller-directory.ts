import { Injectable } from '@nestjs/common';
import { loadDevDefaults, ResellerInfo } from '../config/dev-defaults';

/** The resellers known to this deployment (the embedded runtime's samples from config/dev-defaults.json). */
@Injectable()
export class ResellerDirectory {
  private readonly byId: ReadonlyMap<string, ResellerInfo>;

  constructor(resellers: ResellerInfo[] = loadDevDefaults().resellers) {
    this.byId = new Map(resellers.map((reseller) => [reseller.id, reseller]));
  }

  get(id: string): ResellerInfo | undefined {
    return this.byId.get(id);
  }

  all(): ResellerInfo[] {
    return [...this.byId.values()];
  }
}
