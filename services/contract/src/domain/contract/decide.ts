import { applyCancellation, applyQuantityChange, closeChange } from './apply-change';
import { ContractCommand } from './commands';
import { ContractEvent } from './events';
import { confirmLines, createContract } from './lifecycle';
import { openChange } from './open-change';
import { ContractState } from './state';
import { applyRenewalChange, renewTerms, setAutoRenew } from './terms';

/** One function per command, grouped by concern: the lifecycle, the change lock, the terms. */
export function decide(command: ContractCommand, state: ContractState): ContractEvent[] {
  switch (command.type) {
    case 'CreateContract':
      return createContract(command, state);
    case 'ConfirmLines':
      return confirmLines(command, state);

    case 'OpenChange':
      return openChange(command, state);
    case 'ApplyCancellation':
      return applyCancellation(command, state);
    case 'ApplyQuantityChange':
      return applyQuantityChange(command, state);
    case 'CloseChange':
      return closeChange(command, state);

    case 'SetAutoRenew':
      return setAutoRenew(command, state);
    case 'RenewTerms':
      return renewTerms(command, state);
    case 'ApplyRenewalChange':
      return applyRenewalChange(command, state);
  }
}
