import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-hpa-target.ts';
import { hpaTargetCases } from './references/services.cases.ts';

ruleTester(rule, hpaTargetCases);
