import type { RenderedFile } from '../documents/service';
import type { AppContext } from '../context';
import { getPole } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { renderConvention } from './convention-pdf';
import * as repo from './repository';
import { visibleAgreement } from './service';

/** The draft convention of an agreement, for its parties and coordinators; read synchronously, rendered after. */
export async function draftConventionPdf(ctx: AppContext, actor: Actor, id: number): Promise<RenderedFile> {
  const agreement = visibleAgreement(ctx, actor, id);
  const employee = repo.findEmployee(ctx.db, agreement.employeeId)!;
  const lender = repo.findMember(ctx.db, agreement.lenderMemberId)!;
  const user = repo.findMember(ctx.db, agreement.userMemberId)!;
  const body = await renderConvention({ poleName: getPole(ctx.db).name, agreement, employee, lender, user });
  return { filename: `convention-${id}-projet.pdf`, contentType: 'application/pdf', body };
}
